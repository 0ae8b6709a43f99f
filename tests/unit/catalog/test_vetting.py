"""Recording facts re-evaluates badges and announces only real changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from services.catalog.domain.certifications import VerificationStatus
from services.catalog.domain.errors import InvalidFieldError
from services.catalog.domain.policy import BadgePolicy
from services.catalog.domain.supplier import Supplier
from services.catalog.domain.verification import AuditScope
from services.catalog.domain.vetting import (
    SupplierChange,
    add_certification,
    add_client_case,
    record_audit,
    record_credential_check,
    record_export_performance,
    record_gold_membership,
    refresh_badges,
    set_certification_status,
    set_trade_assurance_enrollment,
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


INSTANT = timedelta(microseconds=1)
# Export facts on record, so that re-evaluating reads the policy's percentile and experience thresholds.
WITH_EXPORT_FACTS: dict[str, Any] = {"export_percentile": 40, "experience_since": NOW - 1000 * DAY}
# A snapshot still showing Verified although no audit grounds it: the next change of facts must correct it.
STALE = supplier(badges=BadgeSet(verified=True), certifications=(certification(),), **WITH_EXPORT_FACTS)

RECORDINGS: dict[str, tuple[str, Callable[[Supplier], SupplierChange]]] = {
    # online only: an audit that cannot ground Verified
    "audit": ("audit", lambda s: record_audit(s, audit(scopes=frozenset({AuditScope.ONLINE})), POLICY, NOW)),
    "credential check": (
        "credential_check",
        lambda s: record_credential_check(s, credential_check(), POLICY, NOW),
    ),
    "gold membership": ("gold_membership", lambda s: record_gold_membership(s, membership(), POLICY, NOW)),
    "new certification": (
        "certification",
        lambda s: add_certification(s, certification(number="CE-1"), POLICY, NOW),
    ),
    "certification status": (
        "certification",
        lambda s: set_certification_status(s, "ISO-9001-123", VerificationStatus.REJECTED, POLICY, NOW),
    ),
    "client case": ("client_case", lambda s: add_client_case(s, client_case(), POLICY, NOW)),
    "export performance": (
        "export_performance",
        lambda s: record_export_performance(s, 50, NOW - DAY, POLICY, NOW),
    ),
    "enrollment": (
        "trade_assurance_enrollment",
        lambda s: set_trade_assurance_enrollment(s, True, POLICY, NOW),
    ),
    "timer": ("timer", lambda s: refresh_badges(s, POLICY, NOW)),
}


@pytest.mark.parametrize(("reason", "record"), list(RECORDINGS.values()), ids=list(RECORDINGS))
def test_every_change_of_facts_reevaluates_the_badges_and_names_itself_as_the_reason(
    reason: str, record: Callable[[Supplier], SupplierChange]
) -> None:
    # given a supplier whose stored badges no longer match its facts
    # when any fact is recorded
    change = record(STALE)
    # then the stale badge is withdrawn, announced with the change that caused it
    assert not change.supplier.badges.verified
    (event,) = change.events
    assert (event.reason, event.previous, event.changed_at) == (reason, STALE.badges, NOW)


def test_a_verified_status_touches_only_the_certification_of_that_number() -> None:
    # given two pending certifications
    pending = (
        certification(status=VerificationStatus.PENDING),
        certification(number="CE-1", name="CE", status=VerificationStatus.PENDING),
    )
    # when the officer verifies one of them
    change = set_certification_status(
        supplier(certifications=pending), "CE-1", VerificationStatus.VERIFIED, POLICY, NOW
    )
    # then the other one is still pending
    statuses = {cert.number: cert.status for cert in change.supplier.certifications}
    assert statuses == {"ISO-9001-123": VerificationStatus.PENDING, "CE-1": VerificationStatus.VERIFIED}


@pytest.mark.parametrize(("percentile", "allowed"), [(-1, False), (0, True), (100, True), (101, False)])
def test_an_export_percentile_is_recorded_from_0_to_100_inclusive(percentile: int, allowed: bool) -> None:
    if allowed:
        change = record_export_performance(supplier(), percentile, NOW - 1000 * DAY, POLICY, NOW)
        assert change.supplier.export_percentile == percentile
    else:
        with pytest.raises(InvalidFieldError) as refused:
            record_export_performance(supplier(), percentile, NOW - 1000 * DAY, POLICY, NOW)
        assert refused.value.field == "export_percentile"


@pytest.mark.parametrize(("offset", "allowed"), [(-INSTANT, True), (timedelta(0), True), (INSTANT, False)])
def test_export_experience_may_start_now_but_not_in_the_future(offset: timedelta, allowed: bool) -> None:
    since = NOW + offset
    if allowed:
        change = record_export_performance(supplier(), 85, since, POLICY, NOW)
        assert change.supplier.experience_since == since
    else:
        with pytest.raises(InvalidFieldError) as refused:
            record_export_performance(supplier(), 85, since, POLICY, NOW)
        assert refused.value.field == "experience_since"


def test_export_performance_can_complete_verified_pro() -> None:
    # given a supplier meeting every criterion but the export ones
    base = supplier()
    for _, record in (RECORDINGS["new certification"], RECORDINGS["client case"]):
        base = record(base).supplier
    base = record_audit(base, audit(), POLICY, NOW).supplier
    assert not base.badges.verified_pro
    # when its export performance is recorded
    change = record_export_performance(base, 80, NOW - 5 * 365 * DAY - 2 * DAY, POLICY, NOW)
    # then Verified Pro is granted for that reason
    assert change.supplier.badges.verified_pro
    assert change.events[0].reason == "export_performance"


@pytest.mark.parametrize("enrolled", [True, False])
def test_trade_assurance_enrollment_is_recorded_either_way(enrolled: bool) -> None:
    start = supplier(trade_assurance_enrolled=not enrolled, **WITH_EXPORT_FACTS)
    change = set_trade_assurance_enrollment(start, enrolled, POLICY, NOW)
    assert change.supplier.trade_assurance_enrolled is enrolled
    assert change.events == ()
