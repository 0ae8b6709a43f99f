"""PATCH merges the given fields and judges the result as a whole, naming the offending field."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, model_validator

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


class Window(BaseModel):
    """A value with a rule over two fields: its refusal has no field of its own."""

    opens: int
    closes: int

    @model_validator(mode="after")
    def _closes_after_opening(self) -> Window:
        if self.closes <= self.opens:
            raise ValueError("closes before it opens")
        return self


def test_the_field_named_is_the_offending_one_whatever_else_changes() -> None:
    with pytest.raises(InvalidFieldError) as refused:
        patched(supplier().profile, {"staff_count": 300, "country": "China"})
    assert refused.value.field == "country"


def test_a_nested_field_is_named_by_its_dotted_path() -> None:
    with pytest.raises(InvalidFieldError) as refused:
        patched(supplier().profile, {"media": {"factory_report": "x" * 2_001}})
    assert refused.value.field == "media.factory_report"


def test_a_rule_over_several_fields_names_the_first_field_changed() -> None:
    with pytest.raises(InvalidFieldError) as refused:
        patched(Window(opens=9, closes=17), {"closes": 8, "opens": 10})
    assert refused.value.field == "closes"


def test_a_rule_over_several_fields_with_nothing_changed_names_the_body() -> None:
    # given a value stored before its rule held
    with pytest.raises(InvalidFieldError) as refused:
        patched(Window.model_construct(opens=17, closes=9), {})
    assert refused.value.field == "body"
