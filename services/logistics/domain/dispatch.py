"""Supplier dispatch: the hand-over to a carrier with a tracking number."""

from __future__ import annotations

from datetime import datetime

from shared.clock import require_utc
from shared.contracts.logistics import ShipmentDispatched
from shared.messaging.envelope import Event

from .errors import NotShipmentSupplierError, ShipmentAlreadyDispatchedError, ShipmentCancelledError
from .inspection import Inspection, ensure_inspection_allows_dispatch
from .shipment import Dispatch, Shipment


def dispatch_shipment(
    shipment: Shipment,
    *,
    supplier_id: str,
    carrier: str,
    tracking_number: str,
    latest_inspection: Inspection | None,
    now: datetime,
) -> tuple[Shipment, list[Event]]:
    """Record the order's supplier's dispatch, once, and only when no inspection holds it back.

    Reporting the same carrier and tracking number again changes nothing; another one is refused."""
    if supplier_id != shipment.supplier_id:
        raise NotShipmentSupplierError(f"only the supplier of order {shipment.order_id} may dispatch it")
    if shipment.cancelled_at is not None:
        raise ShipmentCancelledError(f"shipment {shipment.shipment_id} was cancelled")
    if shipment.dispatch is not None:
        if (shipment.dispatch.carrier, shipment.dispatch.tracking_number) == (carrier, tracking_number):
            # The same hand-over reported again (a retry whose first answer was lost): already recorded.
            return shipment, []
        raise ShipmentAlreadyDispatchedError(f"shipment {shipment.shipment_id} is already dispatched")
    ensure_inspection_allows_dispatch(latest_inspection, shipment.inspection_required)
    dispatch = Dispatch(carrier=carrier, tracking_number=tracking_number, dispatched_at=require_utc(now))
    dispatched = shipment.model_copy(update={"dispatch": dispatch})
    event = ShipmentDispatched(
        **shipment.parties(),
        carrier=dispatch.carrier,
        tracking_number=dispatch.tracking_number,
        dispatched_at=dispatch.dispatched_at,
        dispatch_deadline=shipment.promise.dispatch_deadline,
        on_time=dispatched.dispatched_on_time(),
    )
    return dispatched, [event]
