"""`Idempotency-Key` on mutating routes: the first request runs, its retries get the stored response.

Records live in the service's own database, keyed by (caller, method, path, key), joined into one string
`_id` (`record_key`): an equality on an embedded-document `_id` is a collection scan on SecantusDB, which
made every request's cost grow with the records kept (139 ms an update among 20,000,
`bench.database_growth`). A request runs its handler in one request transaction
(`shared.mongo.request_transaction`: every transaction the handler starts, and every read, joins it) and
inserts its record, with the response and the SHA-256 of its body (never the body itself, so a record stays
small whatever was sent), in that same transaction. So the effect and the answer commit together or not at
all, and the record's unique `_id` lets only one request with a key commit: a process that dies after the
commit leaves the answer, which its retry gets at once; one that dies before leaves nothing, and its retry
runs at once. Two requests with one key that run together (a client's impatient retry) both do the work; the
first to commit wins, and the other's insert meets its record (a write conflict, then a duplicate key), so
its work rolls back and it answers with the winner's response. Work outside the database must bear running
twice: each port is called with a key of its own (a provider's idempotency key, a domain id), as it must
already for a request retried after a transient error.

Why no claim written first (a lease, as earlier versions did): it cost every request a round trip before its
work, to spare the rare concurrent duplicate the work, and a crashed request's retry had to wait its lease
out. A retry of a request already answered also runs the handler before it meets the record; its work rolls
back all the same.

A response larger than `MAX_REPLAYED_BYTES` is not kept, and a retry learns that the request ran and to read
what it changed. A server error, or an answer asking the client to come back (`Retry-After`), commits
nothing, so the retry runs; the TTL index forgets everything after `RETENTION`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiohttp import web
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, PyMongoError

from shared import write_behind
from shared.clock import Clock, utc
from shared.http.problems import ERROR_STATUSES, ErrorStatuses, Problem, problem_for
from shared.mongo import (
    DatabaseUnavailable,
    Document,
    Indexes,
    Session,
    database_deadline,
    is_duplicate_key,
    request_transaction,
    run_in_transaction,
)
from shared.write_behind import Inserts

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
RETRY_AFTER = "Retry-After"
MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
COLLECTION = "idempotency_keys"
RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 255
# Far above any answer of ours, far below MongoDB's 16 MB per document: a record never fails to be written.
MAX_REPLAYED_BYTES = 256 * 1024

IDEMPOTENCY_INDEXES = Indexes(
    COLLECTION, [IndexModel([("created_at", ASCENDING)], expireAfterSeconds=int(RETENTION.total_seconds()))]
)


class IdempotencyStore:
    """Stores each keyed request's answer with its effect in `idempotency_keys`, and replays it."""

    def __init__(self, db: AsyncDatabase[Document], clock: Clock, *, deadline_seconds: float) -> None:
        self._client = db.client
        self._records: AsyncCollection[Document] = db[COLLECTION]
        self._clock = clock
        # Each step (the work and its answer, a refusal's record, reading an earlier answer) gets its own
        # database deadline: a refusal stored after the work timed out must still get its chance.
        self._deadline = deadline_seconds

    async def rekey_earlier_records(self) -> int:
        """Records stored before `record_key` (their `_id` a document) move under their string key; run at
        start, so a retry across the upgrade still finds its request's record. Returns how many moved.

        Once every deployment has started a version with it and `RETENTION` has passed, no such record is
        left and this can go; until then it costs each start one query for them."""
        moved = 0
        async for record in self._records.find({"_id": {"$type": "object"}}):
            old_id = record["_id"]
            with contextlib.suppress(DuplicateKeyError):  # another replica moved it first
                await self._records.insert_one({**record, "_id": record_key(**old_id)})
            await self._records.delete_one({"_id": old_id})
            moved += 1
        return moved

    async def run(
        self, request: web.Request, scope: str, handler: Callable[[], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Run `handler` so that its effect commits at most once per key; answer every other attempt as
        the one that committed did."""
        key = request.headers[HEADER]
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            raise Problem(
                400,
                "idempotency-key-invalid",
                "Invalid Idempotency-Key.",
                f"the key must be 1 to {MAX_KEY_LENGTH} characters",
            )
        record_id = record_key(scope, request.method, request.path, key)
        body_sha256 = hashlib.sha256(await request.read()).hexdigest()
        statuses = request.app[ERROR_STATUSES]

        async def answer(session: Session) -> web.Response:
            async with request_transaction(self._client, session) as transaction:
                try:
                    response = await handler()
                except Exception as error:
                    refusal = _refusal(error, statuses, request.path)
                    if refusal is None or not _kept(refusal) or transaction.failed:
                        raise
                    # Refused after its work was done (e.g. the refusal's own event): both commit.
                    response = refusal
            if transaction.failed:
                raise RuntimeError("a transaction of the request failed, yet the handler answered")
            if not isinstance(response, web.Response) or not isinstance(response.body, bytes):
                raise TypeError("an idempotent route must return a buffered web.Response")
            if not _kept(response):
                raise _NotKept(response)  # nothing of it commits, so the retry runs afresh
            await self._store(record_id, body_sha256, response, session)
            return response

        # A second round only after an abandoned claim of an earlier version was cleared (`_earlier_answer`).
        for _ in range(2):
            try:
                with database_deadline(self._deadline):
                    return await run_in_transaction(self._client, answer)
            except _NotKept as not_kept:
                return await self._answered_before(record_id, body_sha256) or not_kept.response
            except _AnsweredFirst:
                pass  # another request with this key committed first: its work stands, this one's rolled back
            except Exception as error:
                refusal = _refusal(error, statuses, request.path)
                if refusal is None or not _kept(refusal):
                    # A retry of a request answered before runs the handler again, and may fail where the
                    # first did not (a provider down): it still gets the stored answer.
                    if (earlier := await self._answered_before(record_id, body_sha256)) is not None:
                        return earlier
                    raise
                # A rule refused it inside its work: that work rolled back, the refusal is the answer.
                try:
                    with database_deadline(self._deadline):
                        await self._store(record_id, body_sha256, refusal)
                    return refusal
                except _AnsweredFirst:
                    pass
            with database_deadline(self._deadline):
                earlier = await self._earlier_answer(record_id, body_sha256)
            if earlier is not None:
                return earlier
        raise _in_progress()

    async def _store(
        self, record_id: str, body_sha256: str, response: web.Response, session: Session | None = None
    ) -> None:
        """Insert the answer (in the request's transaction when it changed anything, held until its commit);
        `_AnsweredFirst` when a request with this key has already stored one (raised at that commit)."""
        body = response.body
        kept = isinstance(body, bytes) and len(body) <= MAX_REPLAYED_BYTES
        record = {
            "_id": record_id,
            "state": "completed",
            "body_sha256": body_sha256,
            "status": response.status,
            "body": body if kept else None,
            "content_type": response.headers.get("Content-Type", "application/json"),
            "created_at": self._clock.now(),
        }

        def answered_first(error: PyMongoError) -> BaseException | None:
            return _AnsweredFirst(record_id) if is_duplicate_key(error) else None

        # In a transaction, held until its commit with the request's other held writes (shared.write_behind).
        await write_behind.write(session, Inserts(self._records, [record], refused=answered_first))

    async def _answered_before(self, record_id: str, body_sha256: str) -> web.Response | None:
        """For an attempt that failed: the answer stored by an earlier request with this key, if there is
        one and it can be read; else None, and the failure stands."""
        with (
            contextlib.suppress(PyMongoError, DatabaseUnavailable, Problem),
            database_deadline(self._deadline),
        ):
            return await self._earlier_answer(record_id, body_sha256)
        return None

    async def _earlier_answer(self, record_id: str, body_sha256: str) -> web.Response | None:
        """The answer the request that stored `record_id` gave; None when there is none (any more) and
        this request may run again."""
        existing = await self._records.find_one({"_id": record_id})
        if existing is None:
            return None  # forgotten (TTL) between the insert and this read
        if existing["body_sha256"] != body_sha256:
            raise Problem(
                422,
                "idempotency-key-reused",
                "Idempotency-Key reused with a different body.",
                "this key was already used for a request with another body; use a new key",
            )
        if existing["state"] == "completed":
            return _replay(existing)
        # The claim of a request an earlier version ran under a lease (rolling upgrade): wait while it may
        # still be running; once its lease ran out (its process died), clear it and run.
        if utc(existing["lease_until"]) > self._clock.now():
            raise _in_progress()
        await self._records.delete_one({"_id": record_id, "lease": existing["lease"]})
        return None


def record_key(scope: str, method: str, path: str, key: str) -> str:
    """The record's `_id`: its four parts as a JSON array, unambiguous whatever characters they hold."""
    return json.dumps([scope, method, path, key], separators=(",", ":"))


class _AnsweredFirst(Exception):
    """Another request with this key stored its answer first: this one's work must not commit."""


class _NotKept(Exception):
    """Aborts the request transaction: an answer that asks for a retry must leave no effect behind."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


def _kept(response: web.Response) -> bool:
    # An answer that asks the client to retry (order not known yet) must not be replayed to the retry.
    return response.status < 500 and RETRY_AFTER not in response.headers


def _refusal(error: Exception, statuses: ErrorStatuses, instance: str) -> web.Response | None:
    """The answer to an error a client is meant to see; None for a failure of the server."""
    problem = problem_for(error, statuses)
    return None if problem is None else problem.to_response(instance=instance)


def _replay(record: dict[str, Any]) -> web.Response:
    if record["body"] is None:
        raise Problem(
            409,
            "idempotency-response-not-kept",
            "The request with this Idempotency-Key already ran.",
            f"it answered {record['status']}, too large to replay; read the resource it changed instead",
            extensions={"original_status": record["status"]},
        )
    return web.Response(
        status=record["status"],
        body=bytes(record["body"]),
        headers={"Content-Type": record["content_type"], REPLAYED_HEADER: "true"},
    )


def _in_progress() -> Problem:
    return Problem(
        409,
        "idempotency-request-in-progress",
        "A request with this Idempotency-Key is running.",
        "retry after the first request has finished",
        headers={"Retry-After": "1"},
    )
