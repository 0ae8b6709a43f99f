"""Writes a transaction only needs by its commit go to the database together, just before the commit.

Nothing a transaction writes is seen by anyone else before it commits, so a write that nothing later in the
same transaction reads back (outbox rows, the idempotency record, read-model entries, journal entries) need
not cost a round trip of its own when it is made. `write` queues it on the transaction's session; `flush`,
which `shared.mongo` awaits before every commit, sends the queue as one `bulkWrite` (MongoDB 8.0's command
for writes across collections): one round trip for all of them.

Each queued call is sent as it would have been, one round trip each, where that cannot be:
- outside a transaction `shared.mongo` runs (no session, or one that will not flush): at once;
- with one call queued: there is nothing to save;
- on a server older than 8.0: the driver refuses the command before sending anything;
- when the transaction has sent no statement yet: its first statement carries the transaction's read
  concern, and not every server takes one on bulkWrite.

A queued write's failure surfaces at the flush, no longer at the call that queued it: each call states what
its failure means to its caller (`refused`), e.g. the idempotency record's duplicate key means "answered
first". Queue only what the same transaction never reads back: a read would not see it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pymongo import AsyncMongoClient, InsertOne, ReplaceOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import (
    ClientBulkWriteException,
    DuplicateKeyError,
    InvalidOperation,
    PyMongoError,
    WriteError,
)

# shared.mongo's aliases (it imports this module, so they are spelt out here).
_Document = dict[str, Any]
_Session = AsyncClientSession
# What a write's failure means to the code that made it (None: the driver's error as it is).
Refused = Callable[[PyMongoError], BaseException | None]


def _as_is(_: PyMongoError) -> BaseException | None:
    return None


@dataclass(frozen=True)
class Inserts:
    """Documents inserted into one collection, as one `insert_one` / `insert_many` would."""

    collection: AsyncCollection[_Document]
    documents: Sequence[_Document]
    refused: Refused = _as_is

    def models(self, namespace: str | None = None) -> list[InsertOne[_Document]]:
        """As bulk-write models: of the collection's `bulk_write`, or (with `namespace`) the client's."""
        return [InsertOne(document, namespace=namespace) for document in self.documents]


@dataclass(frozen=True)
class Upserts:
    """Documents that replace the one their filter matches, or are inserted (as `bulk_write` of upserting
    `ReplaceOne`s would)."""

    collection: AsyncCollection[_Document]
    replacements: Sequence[tuple[_Document, _Document]]  # (filter, replacement)
    refused: Refused = _as_is

    def models(self, namespace: str | None = None) -> list[ReplaceOne[_Document]]:
        """As bulk-write models: of the collection's `bulk_write`, or (with `namespace`) the client's."""
        return [
            ReplaceOne(query, document, upsert=True, namespace=namespace)
            for query, document in self.replacements
        ]


Write = Inserts | Upserts


@dataclass
class _Queue:
    # The session's operation time when its transaction started: once it moved, a statement has been sent.
    started_at: object
    writes: list[Write] = field(default_factory=list)


_QUEUES: weakref.WeakKeyDictionary[_Session, _Queue] = weakref.WeakKeyDictionary()
# Clients whose server has no bulkWrite (older than 8.0): theirs are sent call by call.
_WITHOUT_BULK_WRITE: weakref.WeakSet[AsyncMongoClient[_Document]] = weakref.WeakSet()


def hold_writes(session: _Session) -> None:
    """From now on, writes on `session` wait for `flush` (call once its transaction has started)."""
    _QUEUES[session] = _Queue(started_at=session.operation_time)


def drop_writes(session: _Session) -> None:
    """Forget what `session` holds (its transaction failed: the attempt that runs again writes anew)."""
    _QUEUES.pop(session, None)


async def write(session: _Session | None, call: Write) -> None:
    """Queue `call` until the commit of `session`'s transaction, or send it now if nothing will flush it."""
    queue = _QUEUES.get(session) if session is not None else None
    if queue is None:
        await _send(call, session)
    else:
        queue.writes.append(call)


async def flush(session: _Session) -> None:
    """Send what `session` holds, in one round trip where the server allows; a failure raises what the
    call that queued it says it means."""
    queue = _QUEUES.pop(session, None)
    if queue is None or not queue.writes:
        return
    client = session.client
    together = len(queue.writes) > 1 and session.operation_time != queue.started_at
    if together and client not in _WITHOUT_BULK_WRITE:
        try:
            await _send_together(client, queue.writes, session)
            return
        except InvalidOperation:
            # Raised before anything was sent, by a driver that found the server older than 8.0.
            _WITHOUT_BULK_WRITE.add(client)
    for call in queue.writes:
        await _send(call, session)


async def _send(call: Write, session: _Session | None) -> None:
    try:
        if isinstance(call, Inserts):
            if len(call.documents) == 1:
                await call.collection.insert_one(call.documents[0], session=session)
            else:
                await call.collection.insert_many(list(call.documents), session=session)
        else:
            await call.collection.bulk_write(call.models(), ordered=False, session=session)
    except PyMongoError as error:
        meant = call.refused(error)
        if meant is None:
            raise
        raise meant from error


async def _send_together(client: AsyncMongoClient[_Document], calls: list[Write], session: _Session) -> None:
    models: list[InsertOne[_Document] | ReplaceOne[_Document]] = []
    owners: list[Write] = []
    for call in calls:
        of_call = call.models(call.collection.full_name)
        models += of_call
        owners += [call] * len(of_call)
    try:
        await client.bulk_write(models, session=session, ordered=True)
    except ClientBulkWriteException as failure:
        if isinstance(failure.error, PyMongoError):  # the command's own failure (a write conflict, say)
            raise failure.error from failure
        # Ordered: the first write that failed stopped the rest (and, in a transaction, aborted it).
        write_errors: list[_Document] = failure.details.get("writeErrors") or []
        if not write_errors:
            raise
        first = min(write_errors, key=lambda error: int(error["idx"]))
        # The error the call on its own would have raised, for its caller's `refused` to read.
        error_class = DuplicateKeyError if first.get("code") == 11000 else WriteError
        error = error_class(str(first.get("errmsg", "")), first.get("code"), first)
        raise owners[int(first["idx"])].refused(error) or error from failure
