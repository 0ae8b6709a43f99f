"""The return-and-refund saga: awaiting_return → refund_requested → resolved, each step once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.disputes.domain.claim import Claim, ClaimStatus
from services.disputes.domain.errors import ClaimTransitionRefusedError
from services.disputes.domain.mediation import Favour, MediationDecision, decide
from services.disputes.domain.settlement import record_refund_issued, record_return_received
from shared.contracts.disputes import ClaimResolved, RefundRequested
from tests.unit.disputes.factories import (
    MEDIATOR,
    NOW,
    claim_under_mediation,
    delivered_order,
    quality_claim,
    usd,
)

RETURNED_AT = NOW + timedelta(days=12)
REFUNDED_AT = NOW + timedelta(days=13)


def _awaiting_return() -> Claim:
    claim, _ = decide(
        claim_under_mediation(),
        delivered_order(),
        mediator_id=MEDIATOR,
        decision=MediationDecision(
            favour=Favour.BUYER_PARTIAL, refund=usd(40_000), return_required=True, rationale="r"
        ),
        now=NOW + timedelta(days=4),
    )
    return claim


def test_returned_goods_trigger_the_refund_request() -> None:
    # when
    claim, events = record_return_received(_awaiting_return(), RETURNED_AT)

    # then
    assert claim.status is ClaimStatus.REFUND_REQUESTED
    assert len(events) == 1
    assert isinstance(events[0], RefundRequested)
    assert events[0].amount == usd(40_000)


def test_issued_refund_resolves_the_claim_with_one_claim_resolved() -> None:
    # given
    claim, _ = record_return_received(_awaiting_return(), RETURNED_AT)

    # when
    claim, events = record_refund_issued(claim, REFUNDED_AT)

    # then
    assert claim.status is ClaimStatus.RESOLVED
    assert claim.closed_at == REFUNDED_AT
    assert len(events) == 1
    assert isinstance(events[0], ClaimResolved)
    assert events[0].refund == usd(40_000)
    assert events[0].return_required


def test_repeated_return_and_refund_facts_change_nothing() -> None:
    # given
    returned, _ = record_return_received(_awaiting_return(), RETURNED_AT)
    resolved, _ = record_refund_issued(returned, REFUNDED_AT)

    # when
    after_return, return_events = record_return_received(resolved, REFUNDED_AT)
    after_refund, refund_events = record_refund_issued(resolved, REFUNDED_AT)

    # then
    assert (after_return, return_events) == (resolved, [])
    assert (after_refund, refund_events) == (resolved, [])


def test_a_refund_cannot_resolve_a_claim_still_waiting_for_its_return() -> None:
    with pytest.raises(ClaimTransitionRefusedError):
        record_refund_issued(_awaiting_return(), REFUNDED_AT)


def test_a_return_is_not_recorded_on_a_claim_in_negotiation() -> None:
    with pytest.raises(ClaimTransitionRefusedError):
        record_return_received(quality_claim(), RETURNED_AT)


def test_saga_state_survives_a_round_trip_through_a_json_document() -> None:
    # given
    claim = _awaiting_return()

    # when
    stored = Claim.model_validate(claim.model_dump(mode="json"))

    # then
    assert stored == claim
    assert record_return_received(stored, RETURNED_AT)[0].status is ClaimStatus.REFUND_REQUESTED
