"""The SLA monitor: a persisted timer on each shipment's next deadline, reporting each breach once."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo import Document
from shared.timers import DueTimer
from shared.unit_of_work import Transaction, fired_by_timer

from ..adapters.repositories import SHIPMENTS, SLA_DUE_FIELD, storable_due
from ..domain.errors import ShipmentNotFoundError
from ..domain.sla import check_sla
from .logistics import Logistics

# MongoDB keeps milliseconds: a check that came exactly at a deadline looks again one tick later.
_TICK = timedelta(milliseconds=1)


async def check_shipment(logistics: Logistics, tx: Transaction, shipment_id: str, now: datetime) -> None:
    """Report each deadline the shipment has broken by `now`, once, and set when to look again."""
    stored = await logistics.shipments.get(shipment_id, session=tx.session)
    if stored is None:
        raise ShipmentNotFoundError(f"no shipment {shipment_id}")
    checked, events = check_sla(stored.value, now)
    due = checked.sla_due_at
    if due is not None and due <= now:
        due = now + _TICK  # the deadline is the last on-time instant: late only strictly after it
    await logistics.shipments.save(
        checked,
        expected_version=stored.version,
        session=tx.session,
        beside={SLA_DUE_FIELD: storable_due(due)},
    )
    await tx.emit_all(events)


def sla_monitor(
    logistics: Logistics,
    *,
    client: AsyncMongoClient[Document],
    db: AsyncDatabase[Document],
    interval_seconds: float,
    batch_size: int,
) -> DueTimer:
    """Safe with several replicas: the timer clears the due date in the transaction that fires it."""

    return DueTimer(
        "sla-monitor",
        client=client,
        db=db,
        collection=SHIPMENTS,
        due_field=SLA_DUE_FIELD,
        fire=fired_by_timer(logistics.uow, functools.partial(check_shipment, logistics)),
        clock=logistics.clock,
        interval_seconds=interval_seconds,
        batch_size=batch_size,
    )
