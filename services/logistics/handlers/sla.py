"""The SLA monitor: a persisted timer on each shipment's next deadline, reporting each breach once."""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.mongo import Document, Session
from shared.timers import DueTimer

from ..adapters.repositories import SHIPMENTS, SLA_DUE_FIELD, storable_due
from ..domain.sla import check_sla
from .logistics import Logistics

# MongoDB keeps milliseconds: a check that came exactly at a deadline looks again one tick later.
_TICK = timedelta(milliseconds=1)


def sla_monitor(logistics: Logistics) -> DueTimer:
    """Safe with several replicas: the timer clears the due date in the transaction that fires it."""
    shipments = logistics.shipments

    async def fire(session: Session, document: Document, now: datetime) -> None:
        stored = shipments.load(document)
        checked, events = check_sla(stored.value, now)
        due = checked.sla_due_at
        if due is not None and due <= now:
            due = now + _TICK  # the deadline is the last on-time instant: late only strictly after it
        await shipments.save(
            checked,
            expected_version=stored.version,
            session=session,
            beside={SLA_DUE_FIELD: storable_due(due)},
        )
        await logistics.emit_all(logistics.recorder(session), events)

    return DueTimer(
        "sla-monitor",
        client=logistics.platform.client,
        db=logistics.platform.db,
        collection=SHIPMENTS,
        due_field=SLA_DUE_FIELD,
        fire=fire,
        clock=logistics.platform.clock,
        interval_seconds=logistics.settings.sla_sweep_seconds,
        batch_size=logistics.settings.sla_batch_size,
    )
