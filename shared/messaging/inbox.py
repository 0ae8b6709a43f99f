"""Inbox: a consumer records each message id under a unique key in the same transaction as its effect."""

from __future__ import annotations

import uuid

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from shared.clock import Clock
from shared.mongo import Document, Indexes, Session, is_duplicate_key

INBOX = "inbox"
# Longer than any redelivery or retry path (parking lot replays included) can take.
RETENTION_SECONDS = 30 * 24 * 3600

INBOX_INDEXES = Indexes(
    INBOX,
    [IndexModel([("received_at", ASCENDING)], name="received_ttl", expireAfterSeconds=RETENTION_SECONDS)],
)


class AlreadyProcessed(Exception):
    """The inbox already holds this message id: its effect happened before."""


class Inbox:
    def __init__(self, db: AsyncDatabase[Document], clock: Clock) -> None:
        self._collection = db[INBOX]
        self._clock = clock

    async def claim(self, session: Session, subscription: str, message_id: uuid.UUID) -> None:
        """Record the message as processed; raise AlreadyProcessed if it was (the transaction aborts)."""
        try:
            await self._collection.insert_one(
                {"_id": f"{subscription}:{message_id}", "received_at": self._clock.now()}, session=session
            )
        except PyMongoError as error:
            if is_duplicate_key(error):
                raise AlreadyProcessed(str(message_id)) from error
            raise
