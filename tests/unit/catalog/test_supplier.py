"""Supplier profiles are edited only by their owner; certifications count only while in force."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.catalog.domain.certifications import in_force
from services.catalog.domain.errors import NotOwnerError
from services.catalog.domain.supplier import Supplier, update_profile
from tests.unit.catalog.builders import DAY, NOW, certification, supplier, verified_pro_supplier


def test_a_supplier_edits_its_own_profile() -> None:
    own = supplier()
    profile = own.profile.model_copy(update={"staff_count": 150})
    assert update_profile(own, profile, "sup-1").profile.staff_count == 150


def test_a_supplier_cannot_edit_another_suppliers_profile() -> None:
    with pytest.raises(NotOwnerError) as refused:
        update_profile(supplier(), supplier().profile, "sup-2")
    assert refused.value.code == "not_owner"


def test_expired_and_not_yet_valid_certifications_stop_counting() -> None:
    current = certification(number="A")
    expired = certification(number="B", valid_from=NOW - 400 * DAY, valid_until=NOW)
    future = certification(number="C", valid_from=NOW + DAY, valid_until=NOW + 400 * DAY)
    assert [c.number for c in in_force([current, expired, future], NOW)] == ["A"]


def test_a_certification_must_end_after_it_starts() -> None:
    with pytest.raises(ValidationError) as refused:
        certification(valid_until=NOW - 200 * DAY)
    assert refused.value.errors()[0]["loc"] == ("valid_until",)


def test_supplier_state_survives_a_storage_round_trip() -> None:
    stored = verified_pro_supplier().model_dump(mode="json")
    assert Supplier.model_validate(stored) == verified_pro_supplier()
