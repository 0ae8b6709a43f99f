"""Persisted timers: documents carry a due date; a worker fires each due one exactly once.

Due documents are found through an index on the due field, so a sweep costs what is due, not what is
stored. Several replicas may sweep at once: firing starts with a conditional update that clears the due
date inside the firing transaction, so only one replica's transaction can fire a given due date.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime

import structlog
from pymongo import ASCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from shared.clock import Clock
from shared.correlation import correlated
from shared.mongo import Document, Indexes, Session, run_in_transaction

log = structlog.get_logger(__name__)

Fire = Callable[[Session, Document, datetime], Awaitable[None]]


def timer_index(collection: str, due_field: str) -> Indexes:
    return Indexes(collection, [IndexModel([(due_field, ASCENDING)], name=f"due_{due_field}")])


class DueTimer:
    """Fires `fire(session, document, now)` for every document of `collection` whose `due_field` ≤ now.

    `fire` runs in the same transaction that cleared the due date; it may set a new one (a next step).
    """

    def __init__(
        self,
        name: str,
        *,
        client: AsyncMongoClient[Document],
        db: AsyncDatabase[Document],
        collection: str,
        due_field: str,
        fire: Fire,
        clock: Clock,
        interval_seconds: float = 1.0,
        batch_size: int = 100,
    ) -> None:
        self.name = name
        self._client = client
        self._collection = db[collection]
        self._due_field = due_field
        self._fire = fire
        self._clock = clock
        self._interval = interval_seconds
        self._batch_size = batch_size
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def index(self) -> Indexes:
        return timer_index(self._collection.name, self._due_field)

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=f"timer-{self.name}")

    def wake(self) -> None:
        """Sweep now (the test clock moved, or a due date was set in the past)."""
        self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def sweep(self) -> int:
        """Fire every document due now; returns how many this replica fired."""
        fired = 0
        while True:
            now = self._clock.now()
            due = (
                await self._collection.find({self._due_field: {"$lte": now}}, {self._due_field: 1})
                .sort(self._due_field, ASCENDING)
                .limit(self._batch_size)
                .to_list()
            )
            for document in due:
                fired += await self._fire_once(document["_id"], now)
            if len(due) < self._batch_size:
                return fired

    async def _fire_once(self, document_id: object, now: datetime) -> int:
        async def work(session: Session) -> int:
            due = {"_id": document_id, self._due_field: {"$lte": now}}
            # find + conditional update rather than findAndModify: the same guarantee inside a transaction
            # (a second replica's update conflicts and, retried, no longer matches), and servers answer it
            # by _id without scanning.
            document = await self._collection.find_one(due, session=session)
            if document is None:
                return 0  # another replica fired it first, or its due date moved
            cleared = await self._collection.update_one(
                due, {"$set": {self._due_field: None}}, session=session
            )
            if cleared.modified_count == 0:
                return 0
            await self._fire(session, document, now)
            return 1

        try:
            # A timer starts the chain of whatever its firing records.
            with correlated(f"timer:{self.name}:{document_id}"):
                return await run_in_transaction(self._client, work)
        except Exception:
            # One failing timer must not stop the others; it stays due and is retried next sweep.
            log.exception("timer_fire_failed", timer=self.name, document_id=str(document_id))
            return 0

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                fired = await self.sweep()
                if fired:
                    log.info("timers_fired", timer=self.name, count=fired)
            except PyMongoError as error:
                log.warning("timer_sweep_failed", timer=self.name, error=repr(error))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._interval):
                    await self._wake.wait()
