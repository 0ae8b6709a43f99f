"""Returns to the local warehouse: Easy Return on the buyer's request, or a dispute decision's command."""

from __future__ import annotations

import uuid

from shared.contracts.disputes import ReturnRequested
from shared.contracts.logistics import ReturnReason
from shared.errors import Conflict
from shared.messaging.subscription import MessageContext, Subscription
from shared.security.access import Parties, Relation
from shared.security.jwt import Principal
from shared.unit_of_work import Transaction

from ..domain.errors import ReturnNotFoundError
from ..domain.returns import (
    EasyReturn,
    ReturnStatus,
    issue_dispute_return_label,
    issue_return_label,
    mark_return_in_transit,
    receive_return,
    require_easy_return,
)
from .access import ORDERS
from .logistics import Logistics


async def request_easy_return(
    logistics: Logistics, *, order_id: str, who: Principal, reason: ReturnReason
) -> EasyReturn:
    """Free label when eligible; the order read model's guarded update makes it once per order."""
    known = await logistics.orders.get(order_id)
    ORDERS.require(
        who, Parties.of(None if known is None else known.value), f"order {order_id}", {Relation.BUYER}
    )
    assert known is not None
    # Refused before a label is bought, not only after: a label is paid for, and a retry of a request
    # already answered runs this again (its work rolls back, `shared/http/idempotency.py`) and finds the
    # order returned. The check in the transaction below stays the one that decides.
    require_easy_return(
        known.value.returnable(),
        reason,
        already_returned=known.value.easy_return_id is not None,
        now=logistics.clock.now(),
        policy=logistics.policy,
    )
    return_id = str(uuid.uuid4())
    # Bought before the transaction: a carrier call must not hold it open (an unused label lapses).
    label = await logistics.carrier.buy_return_label(
        return_id=return_id,
        warehouse_id=logistics.return_warehouse(known.value.destination_country),
    )

    async def work(tx: Transaction) -> EasyReturn:
        stored = await logistics.orders.get(order_id, session=tx.session)
        assert stored is not None  # read models are never deleted
        ret, events = issue_return_label(
            return_id=return_id,
            order=stored.value.returnable(),
            reason=reason,
            label=label,
            already_returned=stored.value.easy_return_id is not None,
            now=logistics.clock.now(),
            policy=logistics.policy,
        )
        marked = stored.value.model_copy(update={"easy_return_id": return_id})
        await logistics.orders.save(marked, expected_version=stored.version, session=tx.session)
        await logistics.returns.insert(ret, session=tx.session)
        await tx.emit_all(events)
        return ret

    return await logistics.uow.run(work)


async def scan_at_warehouse(logistics: Logistics, return_id: str, *, warehouse_id: str | None) -> EasyReturn:
    """The warehouse received the parcel (the scan proves it travelled): `return_received`."""

    async def work(tx: Transaction) -> EasyReturn:
        stored = await logistics.returns.get(return_id, session=tx.session)
        if stored is None:
            raise ReturnNotFoundError(f"no return {return_id}")
        now = logistics.clock.now()
        ret = stored.value
        if ret.status is ReturnStatus.LABEL_ISSUED:
            ret, _ = mark_return_in_transit(ret, now)
        received, events = receive_return(ret, warehouse_id=warehouse_id or ret.label.warehouse_id, now=now)
        await logistics.returns.save(received, expected_version=stored.version, session=tx.session)
        await tx.emit_all(events)
        return received

    return await logistics.uow.run(work)


def dispute_returns(logistics: Logistics) -> Subscription:
    async def on_return_requested(context: MessageContext, event: ReturnRequested) -> None:
        """One label per claim, however often the command is delivered: the claim names the return."""
        return_id = f"dispute-{event.claim_id}"
        if await logistics.returns.get(return_id, session=context.session) is not None:
            return
        known = await logistics.orders.get(event.order_id, session=context.session)
        if known is None:
            raise Conflict(f"order {event.order_id} is not known yet; retry")
        label = await logistics.carrier.buy_return_label(
            return_id=return_id,
            warehouse_id=logistics.return_warehouse(known.value.destination_country),
        )
        ret, events = issue_dispute_return_label(
            return_id=return_id,
            claim_id=event.claim_id,
            order=known.value.returnable(),
            label=label,
            now=event.requested_at,
        )
        await logistics.returns.insert(ret, session=context.session)
        await Transaction.of_message(context).emit_all(events)

    return Subscription("dispute-returns").on(ReturnRequested, on_return_requested)
