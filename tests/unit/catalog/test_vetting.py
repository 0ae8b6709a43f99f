"""Recording facts re-evaluates badges and announces only real changes."""

from __future__ import annotations

import pytest

from services.catalog.domain.certifications import VerificationStatus
from services.catalog.domain.errors import InvalidFieldError
from services.catalog.domain.policy import BadgePolicy
from services.catalog.domain.vetting import (
    add_certification,
    add_client_case,
    record_audit,
    record_credential_check,
    record_export_performance,
    record_gold_membership,
    refresh_badges,
    set_certification_status,
)
from shared.contracts.catalog import BadgeSet, SupplierType
from tests.unit.catalog.builders import (
    DAY,
    NOW,
    audit,
    certification,
    client_case,
    credential_check,
    membership,
    supplier,
)

POLICY = BadgePolicy()


def test_recording_an_audit_grants_verified_and_announces_it() -> None:
    # given an unverified supplier
    # when an audit is recorded
    change = record_audit(supplier(), audit(), POLICY, NOW)
    # then the snapshot and the event carry the new badge and the reason
    assert change.supplier.badges.verified
    assert change.supplier.badges.supplier_type is SupplierType.CUSTOM_MANUFACTURER
    (event,) = change.events
    assert event.previous == BadgeSet()
    assert event.badges == change.supplier.badges
    assert event.reason == "audit"
    assert event.next_change_at == audit().expires_at


def test_a_fact_that_changes_no_badge_emits_no_event() -> None:
    # given a supplier without a membership
    # when only a credential check is recorded
    change = record_credential_check(supplier(), credential_check(), POLICY, NOW)
    # then nothing is announced
    assert change.events == ()
    assert change.supplier.credential_checks == (credential_check(),)


def test_gold_is_granted_when_the_membership_follows_the_credential_check() -> None:
    checked = record_credential_check(supplier(), credential_check(), POLICY, NOW).supplier
    change = record_gold_membership(checked, membership(), POLICY, NOW)
    assert change.supplier.badges.gold
    assert len(change.events) == 1


def test_badges_lapse_by_themselves_when_the_timer_fires() -> None:
    # given a Verified supplier whose audit expires in 5 days
    verified = record_audit(supplier(), audit(expires_at=NOW + 5 * DAY), POLICY, NOW)
    due = verified.report.next_change_at
    assert due == NOW + 5 * DAY
    # when the badge timer fires at the due moment
    lapsed = refresh_badges(verified.supplier, POLICY, due)
    # then Verified is withdrawn and announced
    assert not lapsed.supplier.badges.verified
    (event,) = lapsed.events
    assert event.reason == "timer"
    assert event.previous.verified


def test_verifying_a_certification_can_complete_verified_pro() -> None:
    # given a supplier meeting every criterion except an unverified certificate
    pending = certification(status=VerificationStatus.PENDING)
    base = supplier(experience_since=NOW - 2500 * DAY, export_percentile=90)
    base = record_audit(base, audit(), POLICY, NOW).supplier
    base = add_client_case(base, client_case(), POLICY, NOW).supplier
    base = add_certification(base, pending, POLICY, NOW).supplier
    assert not base.badges.verified_pro
    # when the officer verifies it
    change = set_certification_status(base, pending.number, VerificationStatus.VERIFIED, POLICY, NOW)
    # then Verified Pro is granted
    assert change.supplier.badges.verified_pro
    assert change.events[0].verified_pro_missing == ()


def test_verifying_an_unknown_certification_names_the_field() -> None:
    with pytest.raises(InvalidFieldError) as refused:
        set_certification_status(supplier(), "nope", VerificationStatus.VERIFIED, POLICY, NOW)
    assert refused.value.field == "number"


def test_export_percentile_outside_0_to_100_is_refused() -> None:
    with pytest.raises(InvalidFieldError) as refused:
        record_export_performance(supplier(), 101, NOW - 1000 * DAY, POLICY, NOW)
    assert refused.value.field == "export_percentile"
