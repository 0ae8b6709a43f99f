"""Escrow's integration events: named, versioned contracts that round-trip through the envelope."""

from __future__ import annotations

from services.escrow.domain.lifecycle import fund_order
from shared.contracts import escrow as events
from shared.messaging.envelope import Envelope, Event

from .factories import T0, placed

PUBLISHED: list[type[Event]] = [
    events.OrderPlaced,
    events.OrderFunded,
    events.OrderCancelled,
    events.ReceiptConfirmed,
    events.FundsReleased,
    events.OrderFrozen,
    events.OrderUnfrozen,
    events.RefundIssued,
    events.CompensationIssued,
]


def test_every_published_event_has_a_versioned_escrow_routing_key() -> None:
    keys = [event.routing_key() for event in PUBLISHED]

    assert keys[:3] == ["escrow.order_placed.v1", "escrow.order_funded.v1", "escrow.order_cancelled.v1"]
    assert len(set(keys)) == len(PUBLISHED)
    assert all(event.producer() == "escrow" for event in PUBLISHED)


def test_order_funded_round_trips_through_the_envelope() -> None:
    order = placed("KWD")
    change = fund_order(order, payment_id="pay-1", amount=order.contract.terms.total, now=T0)
    (funded,) = change.events

    envelope = Envelope.wrap(funded, occurred_at=T0, correlation_id="corr-1")
    parsed = events.OrderFunded.model_validate(envelope.payload)

    assert envelope.routing_key == "escrow.order_funded.v1"
    assert parsed == funded
    assert envelope.payload["paid"] == {"amount": 325_000, "currency": "KWD"}
