"""Inbox: a consumer records each message id under a unique key in the same transaction as its effect."""

from __future__ import annotations

import uuid

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from shared.clock import Clock
from shared.mongo import Document, Indexes, Session, is_duplicate_key, is_write_conflict

INBOX = "inbox"
# Longer than any redelivery or retry path (parking lot replays included) can take.
RETENTION_SECONDS = 30 * 24 * 3600

INBOX_INDEXES = Indexes(
    INBOX,
    [IndexModel([("received_at", ASCENDING)], name="received_ttl", expireAfterSeconds=RETENTION_SECONDS)],
)


class AlreadyProcessed(Exception):
    """The inbox already holds this message id: its effect happened before."""


class BeingApplied(Exception):
    """A transaction still open holds this message id's claim: an earlier delivery of it is being applied,
    or was when its process died (the database aborts that transaction at the end of its lifetime). Either
    way this delivery must wait for the outcome, elsewhere than at the head of the queue."""


class Inbox:
    def __init__(self, db: AsyncDatabase[Document], clock: Clock) -> None:
        self._collection = db[INBOX]
        self._clock = clock

    async def claim_many(self, session: Session, subscription: str, message_ids: list[uuid.UUID]) -> None:
        """Record the messages as applied; one applied before (or concurrently) makes this raise
        AlreadyProcessed, which the unique _id guarantees. Call it before the effects: a duplicate then
        aborts its transaction before any handler ran."""
        if not message_ids:
            return
        now = self._clock.now()
        documents = [
            {"_id": _key(subscription, message_id), "received_at": now} for message_id in message_ids
        ]
        try:
            await self._collection.insert_many(documents, ordered=True, session=session)
        except PyMongoError as error:
            if is_duplicate_key(error) or "E11000" in str(error):
                raise AlreadyProcessed(", ".join(map(str, message_ids))) from error
            if is_write_conflict(error):
                raise BeingApplied(", ".join(map(str, message_ids))) from error
            raise


def _key(subscription: str, message_id: uuid.UUID) -> str:
    return f"{subscription}:{message_id}"
