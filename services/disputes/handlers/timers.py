"""Persisted deadlines: negotiation and evidence deadlines of claims, SLAs of after-sales requests."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from services.disputes.adapters.after_sales import AFTER_SALES
from services.disputes.adapters.claims import CLAIMS
from services.disputes.domain.after_sales import convert_overdue_request
from services.disputes.domain.claim import next_timer_due
from services.disputes.domain.timers import fire_due_timer
from services.disputes.handlers.desk import Desk
from shared.clock import Clock
from shared.mongo import Document, Session
from shared.timers import DueTimer
from shared.unit_of_work import Transaction

DUE_FIELD = "timer_due_at"
Fired = Callable[[Desk, Transaction, str, datetime], Awaitable[None]]


async def claim_deadline_passed(desk: Desk, tx: Transaction, claim_id: str, now: datetime) -> None:
    """Supplier response (day 3), automatic escalation (day 7), evidence-request deadlines."""
    stored = await desk.claims.get(claim_id, session=tx.session)
    if stored is None:
        raise LookupError(f"no claim {claim_id}")  # the timer just claimed it: it exists
    claim, events = fire_due_timer(stored.value, now)
    # The timer cleared the due date; set the next one from the claim's (possibly new) status.
    claim = claim.model_copy(update={"timer_due_at": next_timer_due(claim)})
    await desk.claims.save(claim, expected_version=stored.version, session=tx.session)
    for event in events:
        await tx.emit(event)


async def after_sales_overdue(desk: Desk, tx: Transaction, request_id: str, now: datetime) -> None:
    """An after-sales request the supplier left unfulfilled past its SLA becomes a claim."""
    session = tx.session
    stored = await desk.after_sales.get(request_id, session=session)
    if stored is None:
        raise LookupError(f"no after-sales request {request_id}")
    order_id = stored.value.order_id
    order, _ = await desk.order_view(order_id, session=session)
    await desk.orders.lock(order_id, session=session)
    open_claims = [s.value for s in await desk.claims.of_order(order_id, session=session) if s.value.is_open]
    request, claim, events = convert_overdue_request(
        stored.value,
        order,
        claim_id=f"clm_{uuid.uuid5(uuid.NAMESPACE_URL, stored.value.request_id).hex}",
        open_claims=open_claims,
        now=now,
        policy=desk.policy,
    )
    await desk.after_sales.save(request, expected_version=stored.version, session=session)
    if claim is not None:
        await desk.claims.insert(claim, session=session)
    for event in events:
        await tx.emit(event)


def disputes_timers(
    desk: Desk,
    *,
    client: AsyncMongoClient[Document],
    db: AsyncDatabase[Document],
    clock: Clock,
    interval_seconds: float,
) -> list[DueTimer]:
    """The deadlines above as persisted timers: each fires once, in the transaction that claims it."""

    def timer(name: str, collection: str, fired: Fired) -> DueTimer:
        async def fire(session: Session, document: Document, now: datetime) -> None:
            await fired(desk, desk.uow.joined(session), str(document["_id"]), now)

        return DueTimer(
            name,
            client=client,
            db=db,
            collection=collection,
            due_field=DUE_FIELD,
            fire=fire,
            clock=clock,
            interval_seconds=interval_seconds,
        )

    return [
        timer("claim-deadlines", CLAIMS, claim_deadline_passed),
        timer("after-sales-sla", AFTER_SALES, after_sales_overdue),
    ]
