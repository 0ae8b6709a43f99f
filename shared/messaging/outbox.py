"""Transactional outbox: events are stored in the same MongoDB transaction as their state change."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from shared import write_behind
from shared.clock import Clock
from shared.correlation import current_correlation
from shared.messaging.envelope import Envelope, Event
from shared.messaging.topology import Topology
from shared.mongo import Document, Indexes, Session, after_commit
from shared.write_behind import Inserts

OUTBOX = "outbox"
SENT_RETENTION_SECONDS = 7 * 24 * 3600

OUTBOX_INDEXES = Indexes(
    OUTBOX,
    [
        # The relay's only query: unsent rows that are due, oldest first.
        IndexModel([("sent", ASCENDING), ("due_at", ASCENDING), ("seq", ASCENDING)], name="relay_due"),
        # Sent rows are kept a week for audits and timelines, then expire.
        IndexModel([("sent_at", ASCENDING)], name="sent_ttl", expireAfterSeconds=SENT_RETENTION_SECONDS),
    ],
)


def domain_event_fields(envelope: dict[str, Any]) -> dict[str, Any]:
    """What ops dashboards need of an event: type, ids, reasons, amounts; never free text or personal data."""
    fields: dict[str, Any] = {
        "event_type": envelope["type"],
        "message_id": envelope["message_id"],
        "correlation_id": envelope["correlation_id"],
        "occurred_at": envelope["occurred_at"],
    }
    for key, value in envelope["payload"].items():
        if key.endswith("_id") or key in _DASHBOARD_KEYS:
            fields[key] = value
        elif isinstance(value, dict) and set(value) == {"amount", "currency"}:
            fields[key] = value  # Money
    return fields


# Payload fields that dashboards group by (funnel stage, dispute reason, tier, deadline kind).
_DASHBOARD_KEYS = frozenset(
    {"reason", "status", "buyer_tier", "kind", "deadline", "outcome", "decision", "passed"}
)


# A read model's write of the events a transaction emits at once, in that transaction (`records_along`).
RecordAlong = Callable[[Session, Sequence[Envelope]], Awaitable[None]]


class Outbox:
    """Writes envelopes into the service's `outbox` collection inside the caller's transaction."""

    def __init__(self, db: AsyncDatabase[Document], topology: Topology, clock: Clock, *, writer: str) -> None:
        self._collection = db[OUTBOX]
        self._topology = topology
        self._clock = clock
        # Orders rows written by this process at the same instant; ordering across processes is best-effort.
        self._seq = itertools.count()
        # The replica's mark on its rows (its name, `ServiceSettings.replica`): its relay hears of them in
        # process, right after the commit, publishes them, and reads back by this mark those it must retry,
        # and, restarted under the same name, those its previous run left unsent, at once. A mark per
        # process would leave those to the sweep, `relay_orphan_seconds` later (a chaos run's recovery went
        # from 1.6 s to 11.8 s on one seed).
        self.writer = writer
        self._committed: Callable[[Document], None] | None = None
        self._along: list[RecordAlong] = []

    def records_along(self, record: RecordAlong) -> None:
        """Have `record` write each event into a read model of this service in the transaction that emits
        it: one write, where consuming the event back from the broker costs an inbox claim, the write and a
        commit of its own (escrow's order timeline records escrow's own events this way)."""
        self._along.append(record)

    def on_commit(self, committed: Callable[[Document], None]) -> None:
        """Hand each row to `committed` once its transaction has committed (to the relay, which then
        publishes it without reading it back)."""
        self._committed = committed

    async def add(self, session: Session, event: Event) -> Envelope:
        """The event, correlated with the work in progress (shared.correlation), joins the transaction."""
        (envelope,) = await self.add_all(session, [event])
        return envelope

    async def add_all(self, session: Session, events: Sequence[Event]) -> list[Envelope]:
        """Events a change emits at once join its transaction in one write (and one per read model)."""
        if not events:
            return []
        now = self._clock.now()
        correlation = current_correlation()
        envelopes = [
            Envelope.wrap(
                event,
                occurred_at=now,
                correlation_id=correlation.correlation_id,
                causation_id=correlation.causation_id,
            )
            for event in events
        ]
        rows = [self.row(envelope, now) for envelope in envelopes]
        # Held until the commit, with the rest of what nothing in the transaction reads back.
        await write_behind.write(session, Inserts(self._collection, rows))
        for record in self._along:
            await record(session, envelopes)
        if self._committed is not None:
            for row in rows:
                after_commit(session, functools.partial(self._committed, row))
        return envelopes

    def row(self, envelope: Envelope, now: datetime) -> Document:
        return {
            "_id": str(envelope.message_id),
            "exchange": self._topology.events_exchange(envelope.producer),
            "routing_key": envelope.routing_key,
            "envelope": envelope.model_dump(mode="json"),
            "sent": False,
            "sent_at": None,
            "attempts": 0,
            "due_at": now,
            "seq": next(self._seq),
            "writer": self.writer,
        }
