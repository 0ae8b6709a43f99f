"""Disputes' claim lifecycle in escrow: freeze on opening, unfreeze when it ends, refund by decision."""

from __future__ import annotations

from collections.abc import Callable

from services.escrow.domain import claims, refunds
from services.escrow.domain.errors import RefundRefusedError
from services.escrow.domain.order import Order, OrderChange
from services.escrow.domain.refunds import RefundDenial
from shared.contracts.disputes import (
    ClaimEvent,
    ClaimOpened,
    ClaimResolved,
    ClaimWithdrawn,
    RefundRequested,
)
from shared.errors import Conflict
from shared.messaging.subscription import MessageContext, Subscription
from shared.mongo import Session
from shared.unit_of_work import Transaction

from .books import Books


def disputes_events(books: Books) -> Subscription:
    """Out-of-order arrivals (resolved before opened) raise and are retried by the consumer until the order
    has caught up; claims of one order are independent, each joining the order's open set."""

    async def change(
        context: MessageContext, event: ClaimEvent, decide: Callable[[Order], OrderChange]
    ) -> None:
        async def decided(order: Order, _: Session) -> OrderChange:
            return decide(order)

        await books.apply(Transaction.of_message(context), event.order_id, decided)

    async def opened(context: MessageContext, event: ClaimOpened) -> None:
        await change(
            context,
            event,
            lambda order: claims.freeze_order(order, event.claim_id, event.opened_at),
        )

    async def resolved(context: MessageContext, event: ClaimResolved) -> None:
        # After a refund decision the refund already closed the claim: this changes nothing then.
        await change(
            context, event, lambda order: claims.unfreeze_order(order, event.claim_id, event.resolved_at)
        )

    async def withdrawn(context: MessageContext, event: ClaimWithdrawn) -> None:
        await change(
            context, event, lambda order: claims.unfreeze_order(order, event.claim_id, event.withdrawn_at)
        )

    async def refund_requested(context: MessageContext, event: RefundRequested) -> None:
        # De-duplicated by claim id: the decision's refund is applied once, whatever the redeliveries.
        try:
            await change(
                context,
                event,
                lambda order: refunds.refund_by_decision(
                    order,
                    decision_id=event.claim_id,
                    claim_id=event.claim_id,
                    amount=event.amount,
                    now=books.clock.now(),
                ),
            )
        except RefundRefusedError as refused:
            if refused.reason != RefundDenial.NO_OPEN_CLAIM.value:
                raise
            # The claim's opening may still be on its way: retried until it froze the order.
            raise Conflict(f"order {event.order_id}: {refused.message}") from refused

    return (
        Subscription("disputes-events")
        .on(ClaimOpened, opened)
        .on(ClaimResolved, resolved)
        .on(ClaimWithdrawn, withdrawn)
        .on(RefundRequested, refund_requested)
    )
