"""Escrow's persisted timers: auto-confirm after delivery, automatic compensation for enterprise buyers."""

from __future__ import annotations

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.adapters.orders import AUTO_CONFIRM_DUE, COMPENSATION_DUE, ORDERS
from shared.clock import Clock
from shared.mongo import Document
from shared.timers import DueTimer
from shared.unit_of_work import TimerHandler, UnitOfWork, fired_by_timer

from .compensation import Compensation
from .release import Release


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
    def timer(name: str, due_field: str, handler: TimerHandler) -> DueTimer:
        return DueTimer(
            name,
            client=client,
            db=db,
            collection=ORDERS,
            due_field=due_field,
            fire=fired_by_timer(uow, handler),
            clock=clock,
            interval_seconds=interval_seconds,
        )

    return [
        timer("auto-confirm", AUTO_CONFIRM_DUE, release.auto_confirm),
        timer("automatic-compensation", COMPENSATION_DUE, compensation.automatic),
    ]
