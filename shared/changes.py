"""Wake loops when collections change: one MongoDB change stream per process, on its database.

A change stream only hurries a loop along: every loop woken this way also re-reads on a timer, so a
change missed while the stream was down (or a server without change streams) costs a period, not a fact.

One stream serves every loop of the process that registers (the sandbox clock's; the outbox relay had one
until each replica came to publish its own rows): each stream asks the server again after every answer, a
server may end its wait on any write to any collection (SecantusDB does), and it scans every write for
its streams, so a stream per loop cost a getMore per rest under load and a scan per write each.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass

import structlog
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from shared.mongo import Document

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class _Interest:
    collection: str
    operations: tuple[str, ...]
    wake: Callable[[], None]
    unless: Document | None

    def match(self) -> Document:
        match: Document = {"ns.coll": self.collection, "operationType": {"$in": list(self.operations)}}
        return match if self.unless is None else {**match, "$nor": [self.unless]}


class ChangeFeed:
    """Calls each registered `wake` on the changes it asked for, until stopped; reopens after errors.

    After an empty answer the stream rests `pause_seconds` before asking again: a server may end its wait
    on any write, and asking again at once then costs a round trip per write. The pause is the most a
    change can wait for its wake-up beyond the answer's own delay."""

    def __init__(
        self, db: AsyncDatabase[Document], *, pause_seconds: float, max_backoff_seconds: float
    ) -> None:
        self._db = db
        self._pause = pause_seconds
        self._max_backoff = max_backoff_seconds
        self._interests: list[_Interest] = []
        self._task: asyncio.Task[None] | None = None

    def on(
        self,
        collection: str,
        operations: tuple[str, ...],
        wake: Callable[[], None],
        *,
        unless: Document | None = None,
    ) -> None:
        """Wake on these operations (`insert`, `update`…) of `collection`, except changes matching `unless`
        (a change-event filter, e.g. the rows this process reports itself). A running feed reopens its
        stream to include them."""
        self._interests.append(_Interest(collection, operations, wake, unless))
        if self._task is not None:
            self._task.cancel()
            self._task = None
            self.start()

    def start(self) -> None:
        if self._task is None and self._interests:
            self._task = asyncio.create_task(self._follow(list(self._interests)), name="change-feed")

    async def stop(self, *, timeout: float) -> None:
        """Stop following; a cancelled stream closes its cursor on the way out, which a database that does
        not answer holds: waited for within `timeout`, never beyond (nor swallowing a cancel)."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait([task], timeout=timeout)

    async def _follow(self, interests: list[_Interest]) -> None:
        pipeline: list[Document] = [
            {"$match": {"$or": [interest.match() for interest in interests]}},
            {"$project": {"_id": 1, "ns": 1, "operationType": 1}},
        ]
        failures = 0
        while True:
            try:
                async with await self._db.watch(pipeline) as stream:
                    failures = 0
                    while True:
                        change = await stream.try_next()
                        if change is None:
                            await asyncio.sleep(self._pause)
                            continue
                        _wake(interests, change)
                        # No rest: take what else that answer brought before asking again.
            except PyMongoError as error:
                failures += 1
                log.info("change_stream_restarting", error=repr(error), failures=failures)
                await asyncio.sleep(min(self._max_backoff, 0.5 * 2 ** min(failures, 6)))


def _wake(interests: list[_Interest], change: Document) -> None:
    collection = change.get("ns", {}).get("coll")
    operation = change.get("operationType")
    for interest in interests:
        if interest.collection == collection and operation in interest.operations:
            interest.wake()
