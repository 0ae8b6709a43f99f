"""The append-only conversation log of each order; records are inserted, never updated."""

from __future__ import annotations

from pydantic import ValidationError
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from services.disputes.domain.conversation import (
    ConversationRecord,
    StoredRecord,
    VerifyResult,
    verify_chain,
)
from shared.contracts.disputes import OffPlatformMatch
from shared.mongo import Document, Indexes, Session
from shared.store import from_document, to_document

CONVERSATION = "conversation"
CONVERSATION_INDEXES = Indexes(
    CONVERSATION, [IndexModel([("order_id", ASCENDING), ("seq", ASCENDING)], name="chain", unique=True)]
)


class ConversationLog:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._records = db[CONVERSATION]

    async def last(self, order_id: str, *, session: Session) -> ConversationRecord | None:
        document = await self._records.find_one({"order_id": order_id}, sort=[("seq", -1)], session=session)
        return None if document is None else from_document(ConversationRecord, document)

    async def append(
        self, record: ConversationRecord, flags: tuple[OffPlatformMatch, ...], *, session: Session
    ) -> None:
        document = {
            "_id": f"{record.order_id}:{record.seq:08d}",
            **to_document(record),
            "flags": [to_document(flag) for flag in flags],
        }
        await self._records.insert_one(document, session=session)

    async def records(
        self, order_id: str, *, after_seq: int = 0, limit: int | None = None
    ) -> list[StoredRecord]:
        """The order's records after `after_seq`, in chain order; at most `limit` of them if given."""
        found = self._records.find({"order_id": order_id, "seq": {"$gt": after_seq}}).sort("seq", ASCENDING)
        documents = await (found.limit(limit) if limit is not None else found).to_list()
        return [
            StoredRecord(
                from_document(ConversationRecord, document),
                tuple(OffPlatformMatch.model_validate(flag) for flag in document.get("flags", [])),
            )
            for document in documents
        ]

    async def verify(self, order_id: str) -> VerifyResult:
        """Check the stored chain as it is on disk; a record edited into an invalid shape is a break too."""
        documents = await self._records.find({"order_id": order_id}).sort("seq", ASCENDING).to_list()
        records: list[ConversationRecord] = []
        for index, document in enumerate(documents):
            try:
                records.append(from_document(ConversationRecord, document))
            except ValidationError:
                return VerifyResult(
                    valid=False, checked=index, first_broken_seq=index + 1, problem="record is malformed"
                )
        return verify_chain(records)
