"""Escrow's order facts: open the shipment and its promise on funding, stop it on cancellation."""

from __future__ import annotations

import uuid

import structlog

from shared.contracts.escrow import OrderCancelled, OrderFunded
from shared.errors import Conflict
from shared.messaging.subscription import MessageContext, Subscription
from shared.unit_of_work import Transaction

from ..domain.errors import RouteNotFoundError, ShipmentAlreadyDispatchedError
from ..domain.orders import KnownOrder
from ..domain.promise import DeliveryPromise
from ..domain.routes import GuaranteedRoute, select_route
from ..domain.shipment import FundedOrder, cancel_shipment, create_shipment
from .logistics import Logistics

log = structlog.get_logger(__name__)


async def _route_of(
    logistics: Logistics, event: OrderFunded, context: MessageContext
) -> GuaranteedRoute | None:
    if not event.guaranteed:
        return None
    if event.route_id is not None:
        # The quoted route, even if ops retired it since: the buyer was promised its terms.
        stored = await logistics.routes.get(event.route_id, session=context.session)
        if stored is None:
            raise RouteNotFoundError(f"route {event.route_id} of order {event.order_id} is unknown")
        return stored.value
    origin, destination = event.origin_country, event.destination_country
    if origin is None:
        raise RouteNotFoundError(f"Guaranteed order {event.order_id} names neither route nor origin")
    return select_route(await logistics.routes.on_lane(origin, destination), origin, destination)


def _promise_of(event: OrderFunded) -> DeliveryPromise:
    """Escrow fixed the promise at funding; the shipment keeps it as announced."""
    return DeliveryPromise(
        funded_at=event.funded_at,
        handling_time=event.handling_time,
        dispatch_deadline=event.dispatch_deadline,
        transit_days=event.transit_days,
        destination_timezone=event.destination_timezone,
        promised_delivery_date=event.promised_delivery_date,
        delivery_late_from=event.delivery_late_from,
    )


async def open_shipment(logistics: Logistics, context: MessageContext, event: OrderFunded) -> None:
    """One shipment per order, whatever the number of deliveries of the event."""
    shipment_id = str(uuid.uuid4())
    known = KnownOrder(
        order_id=event.order_id,
        shipment_id=shipment_id,
        buyer_id=event.buyer_id,
        supplier_id=event.supplier_id,
        paid=event.paid,
        goods_total=event.goods_total,
        shipping_total=event.shipping,
        destination_country=event.destination_country,
        easy_return=event.protection.easy_return,
    )
    # The known order is written only here, with its shipment: present, the shipment is open already.
    # Inserting it unless present is that check and the first write in one round trip.
    if await logistics.orders.insert_unless_present(known, session=context.session) is not None:
        return
    order = FundedOrder(
        order_id=event.order_id,
        buyer_id=event.buyer_id,
        supplier_id=event.supplier_id,
        guaranteed=event.guaranteed,
        destination_country=event.destination_country,
        inspection_required=event.inspection_required,
        promise=_promise_of(event),
    )
    route = await _route_of(logistics, event, context)
    shipment, events = create_shipment(shipment_id=shipment_id, order=order, route=route)
    await logistics.shipments.insert(shipment, session=context.session)
    await Transaction.of_message(context).emit_all(events)


async def stop_shipment(logistics: Logistics, context: MessageContext, event: OrderCancelled) -> None:
    stored = await logistics.shipments.of_order(event.order_id, session=context.session)
    if stored is None:
        if event.refunded.amount == 0:
            return  # cancelled before funding: there never was a shipment
        raise Conflict(f"order {event.order_id} was funded but its shipment is not open yet; retry")
    try:
        cancelled, events = cancel_shipment(stored.value, event.cancelled_at)
    except ShipmentAlreadyDispatchedError:
        # Escrow refuses to cancel shipped orders; this only happens in a race, and the goods are moving.
        log.warning("cancel_after_dispatch_ignored", order_id=event.order_id)
        return
    if cancelled != stored.value:
        await logistics.shipments.save(cancelled, expected_version=stored.version, session=context.session)
    await Transaction.of_message(context).emit_all(events)


def escrow_orders(logistics: Logistics) -> Subscription:
    async def on_funded(context: MessageContext, event: OrderFunded) -> None:
        await open_shipment(logistics, context, event)

    async def on_cancelled(context: MessageContext, event: OrderCancelled) -> None:
        await stop_shipment(logistics, context, event)

    return Subscription("escrow-orders").on(OrderFunded, on_funded).on(OrderCancelled, on_cancelled)
