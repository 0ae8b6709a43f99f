"""Claim timers: each fires once, at its due date, whatever the sweep timing."""

from __future__ import annotations

from datetime import timedelta

from services.disputes.domain.claim import ClaimStatus
from services.disputes.domain.mediation import request_evidence
from services.disputes.domain.negotiation import make_offer
from services.disputes.domain.timers import TimerAction, due_timer_action, fire_due_timer
from shared.clock import ManualClock
from shared.contracts.disputes import (
    ClaimEscalated,
    EvidenceParty,
    EvidenceRequestLapsed,
    RequestedOutcome,
    SupplierResponseMissed,
)
from tests.unit.disputes.factories import (
    MEDIATOR,
    NOW,
    POLICY,
    SUPPLIER,
    claim_under_mediation,
    delivered_order,
    quality_claim,
    usd,
)


def test_no_timer_action_before_the_due_date() -> None:
    # given
    claim = quality_claim()

    # when / then
    assert due_timer_action(claim, NOW + timedelta(days=3) - timedelta(seconds=1)) is None


def test_silent_supplier_is_recorded_once_the_response_deadline_passes() -> None:
    # given
    clock = ManualClock(NOW)
    claim = quality_claim()

    # when
    clock.advance(timedelta(days=3))
    claim, events = fire_due_timer(claim, clock.now())

    # then
    assert claim.status is ClaimStatus.SUPPLIER_SILENT
    assert [type(e) for e in events] == [SupplierResponseMissed]
    assert claim.timer_due_at == NOW + timedelta(days=7)


def test_claim_escalates_automatically_after_7_days_unresolved() -> None:
    # given a claim with a pending offer the buyer never answered
    order = delivered_order()
    claim, _ = make_offer(
        quality_claim(order),
        order,
        supplier_id=SUPPLIER,
        outcome=RequestedOutcome.PARTIAL_REFUND,
        refund=usd(1_000),
        note="",
        now=NOW + timedelta(days=1),
    )

    # when
    assert due_timer_action(claim, NOW + timedelta(days=7) - timedelta(seconds=1)) is None
    claim, events = fire_due_timer(claim, NOW + timedelta(days=7))

    # then
    assert claim.status is ClaimStatus.ESCALATED
    assert len(events) == 1
    assert isinstance(events[0], ClaimEscalated)
    assert events[0].automatic


def test_a_late_sweep_records_the_silence_and_escalates_in_one_go() -> None:
    # given a claim nobody swept until day 9
    claim = quality_claim()

    # when
    assert due_timer_action(claim, NOW + timedelta(days=9)) is TimerAction.ESCALATE
    claim, events = fire_due_timer(claim, NOW + timedelta(days=9))

    # then
    assert claim.status is ClaimStatus.ESCALATED
    assert [type(e) for e in events] == [SupplierResponseMissed, ClaimEscalated]


def test_firing_a_timer_twice_has_no_second_effect() -> None:
    # given
    moment = NOW + timedelta(days=7)
    claim, _ = fire_due_timer(quality_claim(), moment)

    # when
    again, events = fire_due_timer(claim, moment)

    # then
    assert again == claim
    assert events == []


def test_evidence_request_lapses_at_its_deadline() -> None:
    # given
    claim, _ = request_evidence(
        claim_under_mediation(),
        mediator_id=MEDIATOR,
        request_id="ev-1",
        party=EvidenceParty.SUPPLIER,
        description="production records",
        now=NOW + timedelta(days=3),
        policy=POLICY,
    )
    due = NOW + timedelta(days=8)
    assert claim.timer_due_at == due

    # when
    claim, events = fire_due_timer(claim, due)

    # then
    assert [type(e) for e in events] == [EvidenceRequestLapsed]
    assert claim.status is ClaimStatus.UNDER_MEDIATION
    assert claim.timer_due_at is None
