"""PATCH merges the given fields and judges the result as a whole, naming the offending field."""

from __future__ import annotations

import pytest

from services.catalog.domain.errors import InvalidFieldError
from services.catalog.domain.patches import patched
from tests.unit.catalog.builders import supplier


def test_only_the_given_fields_change() -> None:
    profile = supplier().profile
    assert patched(profile, {"staff_count": 300}) == profile.model_copy(update={"staff_count": 300})


def test_an_invalid_combination_names_the_field() -> None:
    with pytest.raises(InvalidFieldError) as refused:
        patched(supplier().profile, {"country": "China"})
    assert refused.value.field == "country"
