"""Logistics facts escrow acts on: dispatch and delivery move the order, missed deadlines compensate."""

from __future__ import annotations

from collections.abc import Callable

import structlog

from services.escrow.domain import lifecycle, refunds
from services.escrow.domain.order import Order, OrderChange
from shared.contracts.escrow import DeadlineKind, OrderStatus
from shared.contracts.logistics import (
    DeliveryDeadlineMissed,
    DispatchDeadlineMissed,
    InspectionCompleted,
    ReturnReceived,
    ShipmentDamaged,
    ShipmentDelivered,
    ShipmentDispatched,
    ShipmentEvent,
    ShipmentLost,
)
from shared.messaging.subscription import MessageContext, Subscription
from shared.mongo import Session
from shared.unit_of_work import Transaction

from .books import Books
from .compensation import Compensation

log = structlog.get_logger("services.escrow")
# A shipment report that arrives after the order ended (cancelled, refunded in full) changes nothing.
_ENDED = frozenset({OrderStatus.CANCELLED, OrderStatus.REFUNDED})


def logistics_events(books: Books, compensation: Compensation) -> Subscription:
    async def advance(
        context: MessageContext, event: ShipmentEvent, step: Callable[[Order], OrderChange]
    ) -> None:
        async def decide(order: Order, _: Session) -> OrderChange:
            if order.status in _ENDED:
                log.warning("shipment_report_after_order_ended", order_id=order.order_id, type=event.TYPE)
                return OrderChange.unchanged(order)
            # Before funding this raises, and the consumer retries until the payment has landed.
            return step(order)

        await books.apply(Transaction.of_message(context), event.order_id, decide)

    async def dispatched(context: MessageContext, event: ShipmentDispatched) -> None:
        await advance(context, event, lambda order: lifecycle.record_shipment(order, event.dispatched_at))

    async def delivered(context: MessageContext, event: ShipmentDelivered) -> None:
        await advance(context, event, lambda order: lifecycle.record_delivery(order, event.delivered_at))

    async def dispatch_missed(context: MessageContext, event: DispatchDeadlineMissed) -> None:
        await compensation.deadline_missed(
            Transaction.of_message(context), event.order_id, DeadlineKind.DISPATCH, event.dispatch_deadline
        )

    async def delivery_missed(context: MessageContext, event: DeliveryDeadlineMissed) -> None:
        await compensation.deadline_missed(
            Transaction.of_message(context), event.order_id, DeadlineKind.DELIVERY, event.delivery_late_from
        )

    async def return_received(context: MessageContext, event: ReturnReceived) -> None:
        if event.claim_id is not None or event.refund_amount.amount == 0:
            # A dispute's return: the decision's `disputes.refund_requested` pays it, not this.
            log.info("dispute_return_received", order_id=event.order_id, claim_id=event.claim_id)
            return
        await advance(
            context,
            event,
            lambda order: refunds.refund_easy_return(
                order,
                return_id=event.return_id,
                amount=event.refund_amount,
                now=books.clock.now(),
            ),
        )

    async def note(context: MessageContext, event: ShipmentEvent) -> None:
        # Loss, damage and failed inspections reach escrow as a claim from disputes (which freezes the
        # order): here they are only logged.
        log.info("shipment_fact_noted", order_id=event.order_id, type=event.TYPE)

    return (
        Subscription("logistics-events")
        .on(ShipmentDispatched, dispatched)
        .on(ShipmentDelivered, delivered)
        .on(DispatchDeadlineMissed, dispatch_missed)
        .on(DeliveryDeadlineMissed, delivery_missed)
        .on(ShipmentLost, note)
        .on(ShipmentDamaged, note)
        .on(InspectionCompleted, note)
        .on(ReturnReceived, return_received)
    )
