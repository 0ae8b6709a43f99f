"""Persisted deadlines: negotiation and evidence deadlines of claims, SLAs of after-sales requests."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.disputes.adapters.after_sales import AFTER_SALES
from services.disputes.adapters.claims import CLAIMS
from services.disputes.domain.after_sales import convert_overdue_request
from services.disputes.domain.claim import next_timer_due
from services.disputes.domain.timers import fire_due_timer
from services.disputes.handlers.desk import Desk
from shared.mongo import Document, Session
from shared.timers import DueTimer

DUE_FIELD = "timer_due_at"


def claim_deadline_timer(desk: Desk, *, interval_seconds: float = 1.0) -> DueTimer:
    """Supplier response (day 3), automatic escalation (day 7), evidence-request deadlines."""

    async def fire(session: Session, document: Document, now: datetime) -> None:
        stored = desk.claims.load(document)
        claim, events = fire_due_timer(stored.value, now)
        # The DueTimer cleared the due date; set the next one from the claim's (possibly new) status.
        claim = claim.model_copy(update={"timer_due_at": next_timer_due(claim)})
        await desk.claims.save(claim, expected_version=stored.version, session=session)
        for event in events:
            await desk.platform.record(session, event)

    return DueTimer(
        "claim-deadlines",
        client=desk.platform.client,
        db=desk.platform.db,
        collection=CLAIMS,
        due_field=DUE_FIELD,
        fire=fire,
        clock=desk.platform.clock,
        interval_seconds=interval_seconds,
    )


def after_sales_sla_timer(desk: Desk, *, interval_seconds: float = 1.0) -> DueTimer:
    """An after-sales request the supplier left unfulfilled past its SLA becomes a claim."""

    async def fire(session: Session, document: Document, now: datetime) -> None:
        stored = desk.after_sales.load(document)
        order_id = stored.value.order_id
        order, _ = await desk.order_view(order_id, session=session)
        await desk.orders.lock(order_id, session=session)
        open_claims = [
            s.value for s in await desk.claims.of_order(order_id, session=session) if s.value.is_open
        ]
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
            await desk.platform.record(session, event)

    return DueTimer(
        "after-sales-sla",
        client=desk.platform.client,
        db=desk.platform.db,
        collection=AFTER_SALES,
        due_field=DUE_FIELD,
        fire=fire,
        clock=desk.platform.clock,
        interval_seconds=interval_seconds,
    )
