"""Timeline entries and order parties, in escrow's database (a read model fed by every service's events)."""

from __future__ import annotations

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.domain.timeline import OrderParties, TimelineEntry
from shared.mongo import Document, Indexes, Session

ENTRIES = "timeline_entries"
PARTIES = "timeline_parties"

TIMELINE_INDEXES = Indexes(
    ENTRIES, [IndexModel([("order_id", ASCENDING), ("time", ASCENDING)], name="by_order")]
)


class TimelineRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._entries = db[ENTRIES]
        self._parties = db[PARTIES]

    async def add(self, entry: TimelineEntry, parties: OrderParties, session: Session) -> None:
        # Keyed by message id: a replayed event lands on its own entry instead of adding a second one.
        document = entry.model_dump()
        await self._entries.replace_one({"_id": entry.message_id}, document, upsert=True, session=session)
        known = {key: value for key, value in parties.model_dump().items() if value is not None}
        await self._parties.update_one(
            {"_id": parties.order_id}, {"$set": known}, upsert=True, session=session
        )

    async def entries(self, order_id: str) -> list[TimelineEntry]:
        cursor = self._entries.find({"order_id": order_id}).sort([("time", ASCENDING), ("_id", ASCENDING)])
        return [TimelineEntry.model_validate(document) for document in await cursor.to_list()]

    async def parties(self, order_id: str) -> OrderParties | None:
        document = await self._parties.find_one({"_id": order_id})
        return None if document is None else OrderParties.model_validate({**document, "order_id": order_id})
