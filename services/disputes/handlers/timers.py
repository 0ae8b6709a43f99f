"""Disputes' persisted timers: claim deadlines (negotiation, evidence) and after-sales SLAs."""

from __future__ import annotations

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from services.disputes.adapters.after_sales import AFTER_SALES
from services.disputes.adapters.claims import CLAIMS
from shared.clock import Clock
from shared.mongo import Document
from shared.timers import DueTimer
from shared.unit_of_work import TimerHandler, UnitOfWork, fired_by_timer

from .after_sales import AfterSalesRequests
from .negotiation import Negotiation

DUE_FIELD = "timer_due_at"


def disputes_timers(
    *,
    client: AsyncMongoClient[Document],
    db: AsyncDatabase[Document],
    clock: Clock,
    uow: UnitOfWork,
    negotiation: Negotiation,
    after_sales: AfterSalesRequests,
    interval_seconds: float = 1.0,
) -> list[DueTimer]:
    """Each deadline fires once, in the transaction that claims its due date, correlated by the timer."""

    def timer(name: str, collection: str, handler: TimerHandler) -> DueTimer:
        return DueTimer(
            name,
            client=client,
            db=db,
            collection=collection,
            due_field=DUE_FIELD,
            fire=fired_by_timer(uow, handler),
            clock=clock,
            interval_seconds=interval_seconds,
        )

    return [
        timer("claim-deadlines", CLAIMS, negotiation.deadline_passed),
        timer("after-sales-sla", AFTER_SALES, after_sales.overdue),
    ]
