"""Applying carrier tracking events to a shipment and announcing delivery, loss and damage once."""

from __future__ import annotations

from shared.contracts.logistics import ShipmentDamaged, ShipmentDelivered, ShipmentLost
from shared.messaging.envelope import Event

from .errors import ShipmentNotDispatchedError, TrackingNumberMismatchError
from .shipment import Dispatch, Shipment
from .tracking import CarrierEvent, TrackingStatus, current_state, merge_events


def record_carrier_event(shipment: Shipment, event: CarrierEvent) -> tuple[Shipment, list[Event]]:
    """Merge one carrier event (duplicates and out-of-order ones included) and emit what it reveals."""
    dispatch = shipment.dispatch
    if dispatch is None:
        raise ShipmentNotDispatchedError(f"shipment {shipment.shipment_id} has no tracking number yet")
    if event.tracking_number != dispatch.tracking_number:
        raise TrackingNumberMismatchError(
            f"event for {event.tracking_number} does not belong to shipment {shipment.shipment_id}"
        )
    history = merge_events(shipment.tracking_events, event)
    state = current_state(history)
    updated = shipment.model_copy(
        update={"tracking_events": history, "status": state.status, "status_since": state.since}
    )
    return _announce(updated, dispatch)


def _announce(shipment: Shipment, dispatch: Dispatch) -> tuple[Shipment, list[Event]]:
    # A status that a later merge overturns (lost, then found) has still been announced: the case it
    # opened is closed by its own process, not by un-sending the event.
    status, since = shipment.status, shipment.status_since
    assert since is not None  # a merged history always has a timestamp
    if status is TrackingStatus.DELIVERED and shipment.delivered_at is None:
        delivered = shipment.model_copy(update={"delivered_at": since})
        return delivered, [
            ShipmentDelivered(
                **shipment.parties(),
                delivered_at=since,
                promised_delivery_date=shipment.promise.promised_delivery_date,
                on_time=delivered.delivered_on_time(),
            )
        ]
    if status is TrackingStatus.LOST and not shipment.loss_reported:
        lost = ShipmentLost(
            **shipment.parties(),
            carrier=dispatch.carrier,
            tracking_number=dispatch.tracking_number,
            reported_at=since,
        )
        return shipment.model_copy(update={"loss_reported": True}), [lost]
    if status is TrackingStatus.DAMAGED and not shipment.damage_reported:
        damaged = ShipmentDamaged(
            **shipment.parties(),
            carrier=dispatch.carrier,
            tracking_number=dispatch.tracking_number,
            reported_at=since,
        )
        return shipment.model_copy(update={"damage_reported": True}), [damaged]
    return shipment, []
