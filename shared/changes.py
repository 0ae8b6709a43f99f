"""Wake a loop when a collection changes: a MongoDB change stream that reopens itself after errors.

A change stream only hurries a loop along: every loop woken this way also re-reads on a timer, so a
change missed while the stream was down (or a server without change streams) costs a period, not a fact.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import structlog
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import PyMongoError

from shared.mongo import Document

log = structlog.get_logger(__name__)


async def wake_on_changes(
    collection: AsyncCollection[Document],
    operations: tuple[str, ...],
    wake: Callable[[], None],
    *,
    max_backoff_seconds: float,
    pause_seconds: float,
    unless: Document | None = None,
) -> None:
    """Call `wake` on every change of these operation types (`insert`, `update`…) until cancelled, except
    changes matching `unless` (a change-event filter, e.g. the rows this process reports itself).

    After an empty answer the stream rests `pause_seconds` before asking again: a server may end its wait
    on any write to any collection (SecantusDB does), and asking again at once then costs a round trip
    per write. The pause is the most a change can wait for its wake-up beyond the answer's own delay."""
    match: Document = {"operationType": {"$in": list(operations)}}
    if unless is not None:
        match = {"$and": [match, {"$nor": [unless]}]}
    pipeline: list[Document] = [{"$match": match}, {"$project": {"_id": 1}}]
    failures = 0
    while True:
        try:
            async with await collection.watch(pipeline) as stream:
                failures = 0
                while True:
                    if await stream.try_next() is not None:
                        wake()
                        continue  # take what else that answer brought before asking again
                    await asyncio.sleep(pause_seconds)
        except PyMongoError as error:
            failures += 1
            log.info(
                "change_stream_restarting", collection=collection.name, error=repr(error), failures=failures
            )
            await asyncio.sleep(min(max_backoff_seconds, 0.5 * 2 ** min(failures, 6)))
