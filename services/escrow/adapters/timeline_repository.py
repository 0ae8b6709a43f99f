"""Timeline entries, each with the order's parties it names, in escrow's database (a read model fed by every
service's events). The parties ride on the entries, so recording an event is one write."""

from __future__ import annotations

from collections.abc import Sequence

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.domain.timeline import OrderParties, TimelineEntry
from shared import write_behind
from shared.mongo import Document, Indexes, Session
from shared.store import from_document, to_document
from shared.write_behind import Upserts

ENTRIES = "timeline_entries"

TIMELINE_INDEXES = Indexes(
    ENTRIES, [IndexModel([("order_id", ASCENDING), ("time", ASCENDING)], name="by_order")]
)


class TimelineRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._entries = db[ENTRIES]

    async def add(self, entries: Sequence[tuple[TimelineEntry, OrderParties]], session: Session) -> None:
        # Keyed by message id: a replayed event lands on its own entry instead of adding a second one.
        # Held until the commit: nothing in a transaction reads the timeline back.
        replacements = [({"_id": entry.message_id}, _document(entry, parties)) for entry, parties in entries]
        await write_behind.write(session, Upserts(self._entries, replacements))

    async def timeline(self, order_id: str) -> tuple[list[TimelineEntry], OrderParties | None]:
        """The order's entries, oldest first, and its parties as the entries name them (None: no entries)."""
        cursor = self._entries.find({"order_id": order_id}).sort([("time", ASCENDING), ("_id", ASCENDING)])
        documents = await cursor.to_list()
        if not documents:
            return [], None
        named = {
            role: next((str(document[role]) for document in documents if document.get(role)), None)
            for role in ("buyer_id", "supplier_id")
        }
        parties = OrderParties(order_id=order_id, **named)
        return [from_document(TimelineEntry, document) for document in documents], parties


def _document(entry: TimelineEntry, parties: OrderParties) -> Document:
    known = {key: value for key, value in to_document(parties).items() if value is not None}
    return {**to_document(entry), **known}
