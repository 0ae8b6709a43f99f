from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.contracts import logistics as events
from shared.messaging.envelope import Envelope, Event

PUBLISHED: list[type[Event]] = [
    events.ShipmentCreated,
    events.ShipmentDispatched,
    events.ShipmentDelivered,
    events.DispatchDeadlineMissed,
    events.DeliveryDeadlineMissed,
    events.ShipmentLost,
    events.ShipmentDamaged,
    events.InspectionBooked,
    events.InspectionCompleted,
    events.ReturnLabelIssued,
    events.ReturnReceived,
]


@pytest.mark.parametrize("event_type", PUBLISHED)
def test_published_events_are_named_by_logistics_and_versioned(event_type: type[Event]) -> None:
    assert event_type.TYPE.startswith("logistics.")
    assert event_type.routing_key() == f"{event_type.TYPE}.v1"
    assert event_type.producer() == "logistics"


def test_event_types_are_unique() -> None:
    assert len({e.TYPE for e in PUBLISHED}) == len(PUBLISHED)


def test_event_survives_the_envelope_round_trip() -> None:
    # given a breach event wrapped for the broker
    at = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    event = events.DispatchDeadlineMissed(
        order_id="o",
        shipment_id="s",
        buyer_id="b",
        supplier_id="p",
        guaranteed=True,
        dispatch_deadline=at,
        detected_at=at,
    )
    envelope = Envelope.wrap(event, occurred_at=at, correlation_id="o")
    # then a consumer parses the same payload back
    assert envelope.type == "logistics.dispatch_deadline_missed"
    assert events.DispatchDeadlineMissed.model_validate(envelope.payload) == event
