"""SLA monitor rules: late dispatch and late delivery against the promise, each breach reported once."""

from __future__ import annotations

from datetime import datetime

from shared.clock import require_utc
from shared.contracts.escrow import DeadlineKind, promise_broken
from shared.contracts.logistics import DeliveryDeadlineMissed, DispatchDeadlineMissed
from shared.messaging.envelope import Event

from .shipment import Shipment


def is_dispatch_late(shipment: Shipment, now: datetime) -> bool:
    """Late once the deadline has passed without a dispatch at or before it."""
    if shipment.cancelled_at is not None:
        return False
    dispatched_at = shipment.dispatch.dispatched_at if shipment.dispatch else None
    return promise_broken(
        DeadlineKind.DISPATCH, shipment.promise.dispatch_deadline, dispatched_at, require_utc(now)
    )


def is_delivery_late(shipment: Shipment, now: datetime) -> bool:
    """Late from the end of the promised local day unless the carrier delivered before it."""
    if shipment.cancelled_at is not None:
        return False
    due = shipment.promise.delivery_late_from
    return promise_broken(DeadlineKind.DELIVERY, due, shipment.delivered_at, require_utc(now))


def check_sla(shipment: Shipment, now: datetime) -> tuple[Shipment, list[Event]]:
    """Report each breach due at `now` that has not been reported yet; otherwise change nothing."""
    now = require_utc(now)
    events: list[Event] = []
    updates: dict[str, bool] = {}
    if not shipment.dispatch_breach_reported and is_dispatch_late(shipment, now):
        updates["dispatch_breach_reported"] = True
        events.append(
            DispatchDeadlineMissed(
                **shipment.parties(),
                guaranteed=shipment.guaranteed,
                dispatch_deadline=shipment.promise.dispatch_deadline,
                detected_at=now,
            )
        )
    if not shipment.delivery_breach_reported and is_delivery_late(shipment, now):
        updates["delivery_breach_reported"] = True
        events.append(
            DeliveryDeadlineMissed(
                **shipment.parties(),
                guaranteed=shipment.guaranteed,
                promised_delivery_date=shipment.promise.promised_delivery_date,
                delivery_late_from=shipment.promise.delivery_late_from,
                detected_at=now,
            )
        )
    return (shipment.model_copy(update=updates) if updates else shipment), events
