"""What the catalog learns from the other services: completed orders, supplier metrics, routes."""

from __future__ import annotations

from datetime import datetime

from services.catalog.domain.metrics import OrderFact, counted
from services.catalog.domain.reviews import CompletedOrder
from services.catalog.domain.shipping import GuaranteedRoute
from services.catalog.handlers.ports import CompletedOrders, Metrics, Products, Routes
from services.catalog.handlers.storefront import Storefront
from shared.contracts.disputes import ClaimOpened
from shared.contracts.escrow import FundsReleased, ReceiptConfirmed, RefundIssued
from shared.contracts.logistics import (
    DeliveryDeadlineMissed,
    DispatchDeadlineMissed,
    GuaranteedRouteUpserted,
    ShipmentDelivered,
    ShipmentDispatched,
)
from shared.messaging.subscription import MessageContext, Subscription
from shared.unit_of_work import Transaction


class OrderFacts:
    """Counts each fact once per order (the inbox drops redelivered messages; this drops repeated facts)."""

    def __init__(
        self,
        metrics: Metrics,
        orders: CompletedOrders,
        products: Products,
        storefront: Storefront,
    ) -> None:
        self._metrics = metrics
        self._orders = orders
        self._products = products
        self._storefront = storefront

    async def observe(self, tx: Transaction, order_id: str, supplier_id: str, fact: OrderFact) -> None:
        # Two round trips for a fact that counts, one for a repeated one: the record and the metrics are
        # each changed by one write that returns what they were before, never read first.
        before = await self._metrics.note(order_id, supplier_id, fact, session=tx.session)
        count = counted(before, fact)
        if count is None:
            return
        metrics = await self._metrics.add(count, session=tx.session)
        updated = metrics.plus(count)
        # The on-time rate is all of the metrics the standing holds: a fact that leaves it as it was (every
        # completion, most facts of a supplier with a history) changes no copy, so none is read or rewritten.
        # Badges and ratings restate on their own changes. Restated from the metrics just saved, not re-read.
        if updated.on_time_bps != metrics.on_time_bps:
            await self._storefront.restate(supplier_id, session=tx.session, metrics=updated)

    async def completed(self, tx: Transaction, order: CompletedOrder) -> None:
        """Opens reviews; each product of the order counts one completed order, once."""
        known = await self._orders.record(order, session=tx.session)  # as it was before this completion
        new_products = set(order.product_ids) - set(known.product_ids if known else ())
        for product_id in sorted(new_products):
            await self._products.count_completed_order(product_id, session=tx.session)
        if known is None:
            # Only the first report of the completion notes it: the record and the fact are written in one
            # transaction, so a record found here means the fact was noted with it (one round trip less for
            # the second report of every order, funds released after receipt confirmed).
            await self.observe(tx, order.order_id, order.supplier_id, OrderFact.COMPLETED)


def _completed(
    event: ReceiptConfirmed | FundsReleased, products: tuple[str, ...], at: datetime
) -> CompletedOrder:
    return CompletedOrder(
        order_id=event.order_id,
        buyer_id=event.buyer_id,
        supplier_id=event.supplier_id,
        product_ids=products,
        completed_at=at,
    )


def escrow_events(facts: OrderFacts) -> Subscription:
    async def on_receipt_confirmed(context: MessageContext, event: ReceiptConfirmed) -> None:
        await facts.completed(
            Transaction.of_message(context), _completed(event, (event.product_id,), event.confirmed_at)
        )

    async def on_funds_released(context: MessageContext, event: FundsReleased) -> None:
        await facts.completed(Transaction.of_message(context), _completed(event, (), event.released_at))

    async def on_refund_issued(context: MessageContext, event: RefundIssued) -> None:
        await facts.observe(
            Transaction.of_message(context), event.order_id, event.supplier_id, OrderFact.REFUNDED
        )

    return (
        Subscription("escrow-events")
        .on(ReceiptConfirmed, on_receipt_confirmed)
        # Every release is announced with its receipt's confirmation, in one transaction: taking both cost a
        # delivery, an inbox entry and a round trip more a journey, to learn nothing new. Those already queued
        # are still applied.
        .no_longer_taking(FundsReleased, on_funds_released)
        .on(RefundIssued, on_refund_issued)
    )


def logistics_events(facts: OrderFacts, routes: Routes) -> Subscription:
    async def on_dispatched(context: MessageContext, event: ShipmentDispatched) -> None:
        fact = OrderFact.DISPATCHED_ON_TIME if event.on_time else OrderFact.DISPATCHED_LATE
        await facts.observe(Transaction.of_message(context), event.order_id, event.supplier_id, fact)

    async def on_delivered(context: MessageContext, event: ShipmentDelivered) -> None:
        fact = OrderFact.DELIVERED_ON_TIME if event.on_time else OrderFact.DELIVERED_LATE
        await facts.observe(Transaction.of_message(context), event.order_id, event.supplier_id, fact)

    async def on_dispatch_missed(context: MessageContext, event: DispatchDeadlineMissed) -> None:
        await facts.observe(
            Transaction.of_message(context), event.order_id, event.supplier_id, OrderFact.DISPATCHED_LATE
        )

    async def on_delivery_missed(context: MessageContext, event: DeliveryDeadlineMissed) -> None:
        await facts.observe(
            Transaction.of_message(context), event.order_id, event.supplier_id, OrderFact.DELIVERED_LATE
        )

    async def on_route_upserted(context: MessageContext, event: GuaranteedRouteUpserted) -> None:
        route = GuaranteedRoute.model_validate(event.model_dump())
        await routes.upsert(route, context.envelope.occurred_at, session=context.session)

    return (
        Subscription("logistics-events")
        .on(ShipmentDispatched, on_dispatched)
        .on(ShipmentDelivered, on_delivered)
        .on(DispatchDeadlineMissed, on_dispatch_missed)
        .on(DeliveryDeadlineMissed, on_delivery_missed)
        .on(GuaranteedRouteUpserted, on_route_upserted)
    )


def disputes_events(facts: OrderFacts) -> Subscription:
    async def on_claim_opened(context: MessageContext, event: ClaimOpened) -> None:
        await facts.observe(
            Transaction.of_message(context), event.order_id, event.supplier_id, OrderFact.DISPUTED
        )

    return Subscription("disputes-events").on(ClaimOpened, on_claim_opened)
