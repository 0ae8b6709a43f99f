"""Escrow's facts kept in the order read model, and the claim steps they complete (a refund)."""

from __future__ import annotations

import structlog

from services.disputes.domain.claim import ClaimStatus
from services.disputes.domain.orders import (
    record_cancellation,
    record_compensation,
    record_frozen,
    record_order_funded,
    record_refund,
)
from services.disputes.domain.settlement import record_refund_issued
from shared.contracts.catalog import AfterSalesLabel
from shared.contracts.escrow import (
    BuyerTier,
    CompensationIssued,
    OrderCancelled,
    OrderFrozen,
    OrderFunded,
    OrderPlaced,
    OrderUnfrozen,
    RefundIssued,
)
from shared.messaging.subscription import MessageContext, Subscription
from shared.unit_of_work import Transaction

from .claims import Casework

log = structlog.get_logger(__name__)


def escrow_events(work: Casework) -> Subscription:
    async def on_order_placed(context: MessageContext, event: OrderPlaced) -> None:
        await work.orders.record_contract(
            event.order_id, "placed", event.model_dump(mode="json"), session=context.session
        )

    async def on_order_funded(context: MessageContext, event: OrderFunded) -> None:
        view = record_order_funded(
            order_id=event.order_id,
            buyer_id=event.buyer_id,
            supplier_id=event.supplier_id,
            buyer_tier=BuyerTier(event.buyer_tier.value),
            paid=event.paid,
            funded_at=event.funded_at,
            dispatch_deadline=event.dispatch_deadline,
            # Late from this instant: the end of the promised day in the destination's time zone.
            promised_delivery_at=event.delivery_late_from,
            after_sales_labels=tuple(AfterSalesLabel(label.value) for label in event.after_sales),
            protection_window_days=event.protection.money_back_window_days,
        )
        # A second funding report of the same order changes nothing but escrow's words of it.
        funded = event.model_dump(mode="json")
        await work.orders.open_view(view, ("funded", funded), session=context.session)

    async def on_order_cancelled(context: MessageContext, event: OrderCancelled) -> None:
        if event.refunded.amount == 0:
            # Cancelled before payment: never funded, so there is nothing here to dispute. Waiting for a
            # funding that will never come would only retry the message into the parking lot.
            return
        await work.change_view(Transaction.of_message(context), event.order_id, record_cancellation)

    async def on_order_frozen(context: MessageContext, event: OrderFrozen) -> None:
        await work.change_view(
            Transaction.of_message(context), event.order_id, lambda view: record_frozen(view, True)
        )

    async def on_order_unfrozen(context: MessageContext, event: OrderUnfrozen) -> None:
        await work.change_view(
            Transaction.of_message(context), event.order_id, lambda view: record_frozen(view, False)
        )

    async def on_refund_issued(context: MessageContext, event: RefundIssued) -> None:
        if event.after_cancellation:
            return  # a payment that came after the cancellation, handed back: the order was never funded
        await work.change_view(
            Transaction.of_message(context),
            event.order_id,
            lambda view: record_refund(view, event.refund_id, event.amount),
        )
        if event.claim_id is None:
            return
        stored = await work.claims.get(event.claim_id, session=context.session)
        if stored is None or stored.value.status not in (ClaimStatus.REFUND_REQUESTED, ClaimStatus.RESOLVED):
            log.warning("refund_for_claim_not_awaiting_it", claim_id=event.claim_id)
            return
        await work.change_in(
            Transaction.of_message(context),
            event.claim_id,
            lambda claim, _: record_refund_issued(claim, event.issued_at),
        )

    async def on_compensation_issued(context: MessageContext, event: CompensationIssued) -> None:
        # Escrow owns compensation and pays it from its own route: the case file only records the fact.
        await work.change_view(Transaction.of_message(context), event.order_id, record_compensation)

    return (
        Subscription("escrow-events")
        .on(OrderPlaced, on_order_placed)
        .on(OrderFunded, on_order_funded)
        .on(OrderCancelled, on_order_cancelled)
        .on(OrderFrozen, on_order_frozen)
        .on(OrderUnfrozen, on_order_unfrozen)
        .on(RefundIssued, on_refund_issued)
        .on(CompensationIssued, on_compensation_issued)
    )
