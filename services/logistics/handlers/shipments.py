"""Supplier dispatch and carrier tracking updates of a shipment."""

from __future__ import annotations

from shared.contracts.logistics import ShipmentDelivered
from shared.messaging.envelope import Event
from shared.security.access import Parties, Relation
from shared.security.jwt import Principal
from shared.store import value_of
from shared.unit_of_work import Transaction

from ..domain.carrier_updates import record_carrier_event
from ..domain.dispatch import dispatch_shipment
from ..domain.errors import NotShipmentSupplierError, ShipmentNotFoundError
from ..domain.shipment import Shipment
from ..domain.tracking import CarrierEvent
from .access import SHIPMENTS
from .logistics import Logistics


async def dispatch(
    logistics: Logistics, shipment_id: str, *, who: Principal, carrier: str, tracking_number: str
) -> Shipment:
    """Only the order's supplier dispatches; an inspection that failed or is pending holds it back."""

    async def work(tx: Transaction) -> Shipment:
        stored = await logistics.shipments.get(shipment_id, session=tx.session)
        shipment = value_of(stored)
        SHIPMENTS.require(who, Parties.of(shipment), f"shipment {shipment_id}", {Relation.SUPPLIER})
        assert stored is not None
        # One read less for a shipment no inspection was booked for (most of them).
        may_have = stored.value.may_have_inspection
        latest = await logistics.inspections.latest_of(shipment_id, session=tx.session) if may_have else None
        try:
            dispatched, events = dispatch_shipment(
                stored.value,
                supplier_id=who.sub,
                carrier=carrier,
                tracking_number=tracking_number,
                latest_inspection=latest,
                now=logistics.clock.now(),
            )
        except NotShipmentSupplierError:
            raise ShipmentNotFoundError(f"no shipment {shipment_id}") from None
        if dispatched is not stored.value:
            await logistics.shipments.save(dispatched, expected_version=stored.version, session=tx.session)
            await tx.emit_all(events)
        return dispatched

    return await logistics.uow.run(work)


async def track(logistics: Logistics, carrier: str, update: CarrierEvent) -> Shipment:
    """Merge one verified carrier event; repeats and late arrivals converge on the same state."""

    async def work(tx: Transaction) -> Shipment:
        stored = await logistics.shipments.tracked(carrier, update.tracking_number, session=tx.session)
        if stored is None:
            raise ShipmentNotFoundError(
                f"no {carrier} shipment with tracking number {update.tracking_number}"
            )
        updated, events = record_carrier_event(stored.value, update)
        if updated != stored.value:
            await logistics.shipments.save(updated, expected_version=stored.version, session=tx.session)
        await _note_delivery(logistics, tx, events)
        await tx.emit_all(events)
        return updated

    return await logistics.uow.run(work)


async def _note_delivery(logistics: Logistics, tx: Transaction, events: list[Event]) -> None:
    # The order read model learns the delivery date here: Easy Return's window starts at it. One write, no
    # read: the date is the carrier's, whatever the order held (an order this service never heard of has no
    # Easy Return to open, so none is kept for it).
    for event in events:
        if isinstance(event, ShipmentDelivered):
            await logistics.orders.set_fields(
                event.order_id, {"delivered_at": event.delivered_at}, session=tx.session
            )
