"""Escrow's persisted timers: auto-confirm after delivery, automatic compensation for enterprise buyers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.adapters.orders import AUTO_CONFIRM_DUE, COMPENSATION_DUE, ORDERS
from shared.clock import Clock
from shared.mongo import Document, Session
from shared.timers import DueTimer, Fire
from shared.unit_of_work import Transaction, UnitOfWork

from .compensation import Compensation
from .release import Release

OrderTimer = Callable[[Transaction, str, datetime], Awaitable[None]]


def escrow_timers(
    *,
    client: AsyncMongoClient[Document],
    db: AsyncDatabase[Document],
    clock: Clock,
    uow: UnitOfWork,
    release: Release,
    compensation: Compensation,
    interval_seconds: float = 1.0,
) -> list[DueTimer]:
    def timer(name: str, due_field: str, handler: OrderTimer) -> DueTimer:
        async def fire(session: Session, document: Document, now: datetime) -> None:
            # The timer binds its own correlation (timer:<name>:<order id>) around each firing.
            await handler(uow.joined(session), str(document["_id"]), now)

        fired: Fire = fire
        return DueTimer(
            name,
            client=client,
            db=db,
            collection=ORDERS,
            due_field=due_field,
            fire=fired,
            clock=clock,
            interval_seconds=interval_seconds,
        )

    return [
        timer("auto-confirm", AUTO_CONFIRM_DUE, release.auto_confirm),
        timer("automatic-compensation", COMPENSATION_DUE, compensation.automatic),
    ]
