"""The catalog's persisted timer: a supplier's badges change by themselves when a validity boundary passes."""

from __future__ import annotations

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from services.catalog.adapters.suppliers import BADGES_DUE, SUPPLIERS
from services.catalog.handlers.suppliers import SupplierCommands
from shared.clock import Clock
from shared.mongo import Document
from shared.timers import DueTimer
from shared.unit_of_work import UnitOfWork, fired_by_timer

BADGE_CHANGES = "badge-changes"


def catalog_timers(
    *,
    client: AsyncMongoClient[Document],
    db: AsyncDatabase[Document],
    clock: Clock,
    uow: UnitOfWork,
    suppliers: SupplierCommands,
    interval_seconds: float = 1.0,
) -> list[DueTimer]:
    return [
        DueTimer(
            BADGE_CHANGES,
            client=client,
            db=db,
            collection=SUPPLIERS,
            due_field=BADGES_DUE,
            fire=fired_by_timer(uow, suppliers.on_badges_due),
            clock=clock,
            interval_seconds=interval_seconds,
        )
    ]
