"""Wake a loop when a collection changes: a MongoDB change stream that reopens itself after errors.

A change stream only hurries a loop along: every loop woken this way also re-reads on a timer, so a
change missed while the stream was down (or a server without change streams) costs a period, not a fact.
"""

from __future__ import annotations

import asyncio

import structlog
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import PyMongoError

from shared.mongo import Document

log = structlog.get_logger(__name__)


async def wake_on_changes(
    collection: AsyncCollection[Document],
    operations: tuple[str, ...],
    wake: asyncio.Event,
    *,
    max_backoff_seconds: float,
) -> None:
    """Set `wake` on every change of these operation types (`insert`, `update`…) until cancelled."""
    pipeline: list[Document] = [
        {"$match": {"operationType": {"$in": list(operations)}}},
        {"$project": {"_id": 1}},
    ]
    failures = 0
    while True:
        try:
            async with await collection.watch(pipeline) as stream:
                failures = 0
                async for _ in stream:
                    wake.set()
        except PyMongoError as error:
            failures += 1
            log.info(
                "change_stream_restarting", collection=collection.name, error=repr(error), failures=failures
            )
            await asyncio.sleep(min(max_backoff_seconds, 0.5 * 2 ** min(failures, 6)))
