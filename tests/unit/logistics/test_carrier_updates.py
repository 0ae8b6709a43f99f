from __future__ import annotations

from datetime import timedelta

import pytest

from services.logistics.domain.carrier_updates import record_carrier_event
from services.logistics.domain.errors import ShipmentNotDispatchedError, TrackingNumberMismatchError
from services.logistics.domain.shipment import Shipment
from services.logistics.domain.tracking import CarrierEvent, TrackingStatus
from shared.contracts.logistics import ShipmentDamaged, ShipmentDelivered, ShipmentLost
from shared.messaging.envelope import Event

from .builders import FUNDED_AT, a_dispatched_shipment, a_shipment, carrier_event

S = TrackingStatus
PROMISED_LATE_FROM = FUNDED_AT.replace(day=11, hour=7)  # end of 2026-03-10 in Los Angeles


def feed(shipment: Shipment, *events: CarrierEvent) -> tuple[Shipment, list[Event]]:
    emitted: list[Event] = []
    for event in events:
        shipment, new = record_carrier_event(shipment, event)
        emitted += new
    return shipment, emitted


def test_tracking_events_are_refused_before_dispatch() -> None:
    with pytest.raises(ShipmentNotDispatchedError):
        record_carrier_event(a_shipment(), carrier_event("e1", S.PICKED_UP, FUNDED_AT))


def test_tracking_event_for_another_parcel_is_refused() -> None:
    other = CarrierEvent(event_id="e1", tracking_number="OTHER", status=S.PICKED_UP, occurred_at=FUNDED_AT)
    with pytest.raises(TrackingNumberMismatchError):
        record_carrier_event(a_dispatched_shipment(), other)


def test_delivery_is_announced_once_with_the_carrier_timestamp() -> None:
    # given a dispatched shipment
    delivered_at = PROMISED_LATE_FROM - timedelta(hours=1)
    delivered = carrier_event("e2", S.DELIVERED, delivered_at)
    # when delivery arrives, then again as a duplicate and with a stale in_transit
    shipment, events = feed(
        a_dispatched_shipment(), delivered, delivered, carrier_event("e1", S.IN_TRANSIT, FUNDED_AT)
    )
    # then shipment_delivered was emitted once, on time, and the status stays delivered
    assert [type(e) for e in events] == [ShipmentDelivered]
    assert isinstance(events[0], ShipmentDelivered)
    assert events[0].delivered_at == delivered_at
    assert events[0].on_time
    assert shipment.status is S.DELIVERED
    assert shipment.delivered_at == delivered_at


def test_delivery_at_the_end_of_the_promised_local_day_is_late() -> None:
    _, events = feed(a_dispatched_shipment(), carrier_event("e1", S.DELIVERED, PROMISED_LATE_FROM))
    assert isinstance(events[0], ShipmentDelivered)
    assert not events[0].on_time


def test_lost_shipment_emits_shipment_lost_once() -> None:
    lost_at = FUNDED_AT + timedelta(days=3)
    shipment, events = feed(
        a_dispatched_shipment(),
        carrier_event("e1", S.LOST, lost_at),
        carrier_event("e2", S.LOST, lost_at + timedelta(hours=1)),
    )
    assert [type(e) for e in events] == [ShipmentLost]
    assert isinstance(events[0], ShipmentLost)
    assert (events[0].tracking_number, events[0].reported_at) == ("1Z999", lost_at)
    assert shipment.loss_reported


def test_damage_after_delivery_emits_shipment_damaged() -> None:
    day = FUNDED_AT + timedelta(days=5)
    shipment, events = feed(
        a_dispatched_shipment(),
        carrier_event("e1", S.DELIVERED, day),
        carrier_event("e2", S.DAMAGED, day + timedelta(hours=2)),
    )
    assert [e.TYPE for e in events] == [ShipmentDelivered.TYPE, ShipmentDamaged.TYPE]
    assert shipment.status is S.DAMAGED
    assert shipment.damage_reported


def test_tracking_history_keeps_each_event_once() -> None:
    event = carrier_event("e1", S.PICKED_UP, FUNDED_AT + timedelta(days=1))
    shipment, events = feed(a_dispatched_shipment(), event, event)
    assert shipment.tracking_events == (event,)
    assert events == []
