"""The published contracts: stable type names, versions, and payloads that survive the wire."""

from __future__ import annotations

from shared.contracts.disputes import (
    ClaimEvent,
    ClaimReason,
    ClaimResolved,
    RefundRequested,
    SettledBy,
    SettlementKind,
)
from shared.messaging.envelope import Envelope
from tests.unit.disputes.factories import BUYER, NOW, SUPPLIER, usd


def test_claim_events_are_named_under_the_disputes_producer_at_version_1() -> None:
    for event_class in ClaimEvent.__subclasses__():
        assert event_class.TYPE.startswith("disputes.")
        assert event_class.producer() == "disputes"
        assert event_class.VERSION == 1


def test_claim_resolved_routes_and_parses_back_from_its_envelope() -> None:
    # given
    event = ClaimResolved(
        claim_id="claim-1",
        order_id="order-1",
        buyer_id=BUYER,
        supplier_id=SUPPLIER,
        reason=ClaimReason.DEFECTIVE,
        decision=SettlementKind.PARTIAL_REFUND,
        refund=usd(12_345),
        return_required=False,
        settled_by=SettledBy.MEDIATION,
        resolved_at=NOW,
    )

    # when
    envelope = Envelope.wrap(event, occurred_at=NOW, correlation_id="corr-1")

    # then
    assert envelope.routing_key == "disputes.claim_resolved.v1"
    assert ClaimResolved.model_validate(envelope.payload) == event
    assert envelope.payload["refund"] == {"amount": 12_345, "currency": "USD"}


def test_refund_request_is_a_command_to_escrow_keyed_by_claim() -> None:
    assert RefundRequested.routing_key() == "disputes.refund_requested.v1"
    assert "claim_id" in RefundRequested.model_fields
