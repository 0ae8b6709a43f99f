"""`Idempotency-Key` on mutating routes: the first request runs, its retries get the stored response.

Records live in the service's own database, keyed by (caller, method, path, key), joined into one string
`_id` (`record_key`): an equality on an embedded-document `_id` is a collection scan on SecantusDB, which
made every request's cost grow with the records kept (139 ms an update among 20,000,
`bench.database_growth`). A request first claims the key with an in-progress record carrying a lease and the
SHA-256 of its body (never the body itself, so a record stays small whatever was sent), then runs the
handler in one request transaction (`shared.mongo.request_transaction`: every transaction the handler
starts, and every read, joins it) and stores the response in that same transaction. So the effect and the
answer commit together or not at all: a process that dies after the commit leaves a completed record, and
the retry gets the original response at once; one that dies before leaves nothing but the claim, and the
retry runs after the lease. A response larger than `MAX_REPLAYED_BYTES` is not kept, and a retry learns that
the request ran and to read what it changed. A server error, or an answer asking the client to come back
(`Retry-After`), commits nothing and releases the claim so the retry runs; the TTL index forgets everything
after `RETENTION`.

The lease is also a fence: the response is stored only over this request's own lease, so a request that
outlives it (a paused process, a stalled server) cannot commit once a retry has taken over.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiohttp import web
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.clock import Clock, utc
from shared.http.problems import ERROR_STATUSES, ErrorStatuses, Problem, problem_for
from shared.mongo import (
    Document,
    FenceLost,
    Indexes,
    Session,
    database_deadline,
    request_transaction,
    run_in_transaction,
)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
RETRY_AFTER = "Retry-After"
MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
COLLECTION = "idempotency_keys"
# Long enough for any request; not longer, because a crashed request's retry waits it out. Too short is
# safe (the fence stops a request that outlives it from committing), it only costs that request a 409.
# Each database step of a request has a deadline of its own (`database_request_timeout_seconds`, 4 s),
# so a live request is done well within it.
LEASE = timedelta(seconds=10)
RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 255
# Far above any answer of ours, far below MongoDB's 16 MB per document: a record never fails to be written.
MAX_REPLAYED_BYTES = 256 * 1024

IDEMPOTENCY_INDEXES = Indexes(
    COLLECTION, [IndexModel([("created_at", ASCENDING)], expireAfterSeconds=int(RETENTION.total_seconds()))]
)


class IdempotencyStore:
    """Claims keys and stores responses in `idempotency_keys`."""

    def __init__(self, db: AsyncDatabase[Document], clock: Clock, *, deadline_seconds: float) -> None:
        self._client = db.client
        self._records: AsyncCollection[Document] = db[COLLECTION]
        self._clock = clock
        # Each step (claim, the work and its answer, a release) gets its own database deadline: a release
        # after the work timed out must still get its chance, or the retry waits out the lease.
        self._deadline = deadline_seconds

    async def rekey_earlier_records(self) -> int:
        """Records stored before `record_key` (their `_id` a document) move under their string key; run at
        start, so a retry across the upgrade still finds its request's record. An old process's request
        still running then finds its record gone when it stores its answer: its transaction aborts (the
        fence), and the retry runs once the copied claim's lease has run out. Returns how many moved.

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
        """Run `handler` at most once per key (per lease); replay or refuse every other attempt."""
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
        with database_deadline(self._deadline):
            claimed = await self._claim(record_id, body_sha256)
        if isinstance(claimed, web.Response):
            return claimed
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
            await self._complete(record_id, claimed, response, session)
            return response

        try:
            with database_deadline(self._deadline):
                return await run_in_transaction(self._client, answer)
        except FenceLost:
            raise _in_progress() from None  # the retry that took over answers; this attempt changed nothing
        except _NotKept as not_kept:
            await self._release(record_id, claimed)
            return not_kept.response
        except Exception as error:
            refusal = _refusal(error, statuses, request.path)
            if refusal is None or not _kept(refusal):
                await self._release(record_id, claimed)
                raise
            # A rule refused it inside its work: that work rolled back, the refusal is the answer.
            with database_deadline(self._deadline):
                await self._complete(record_id, claimed, refusal)
            return refusal

    async def _claim(self, record_id: str, body_sha256: str) -> str | web.Response:
        """A lease token when this request may run, else the response to give instead."""
        lease = uuid.uuid4().hex
        now = self._clock.now()
        try:
            await self._records.insert_one(
                {
                    "_id": record_id,
                    "state": "in_progress",
                    "body_sha256": body_sha256,
                    "lease": lease,
                    "lease_until": now + LEASE,
                    "created_at": now,
                }
            )
            return lease
        except DuplicateKeyError:
            existing = await self._records.find_one({"_id": record_id})
        if existing is None:
            # Released by a failed attempt between our insert and read: the caller may simply retry.
            raise _in_progress()
        if existing["body_sha256"] != body_sha256:
            raise Problem(
                422,
                "idempotency-key-reused",
                "Idempotency-Key reused with a different body.",
                "this key was already used for a request with another body; use a new key",
            )
        if existing["state"] == "completed":
            return _replay(existing)
        if utc(existing["lease_until"]) > now:
            raise _in_progress()
        # The owner's lease ran out (its process probably died): take the claim over, at most one winner.
        taken = await self._records.update_one(
            {"_id": record_id, "state": "in_progress", "lease": existing["lease"]},
            {"$set": {"lease": lease, "lease_until": now + LEASE}},
        )
        if taken.modified_count != 1:
            raise _in_progress()
        return lease

    async def _complete(
        self, record_id: str, lease: str, response: web.Response, session: Session | None = None
    ) -> None:
        """Store the answer over this request's lease (in its transaction when it changed anything)."""
        body = response.body
        kept = isinstance(body, bytes) and len(body) <= MAX_REPLAYED_BYTES
        stored = await self._records.update_one(
            {"_id": record_id, "lease": lease},
            {
                "$set": {
                    "state": "completed",
                    "status": response.status,
                    "body": body if kept else None,
                    "content_type": response.headers.get("Content-Type", "application/json"),
                },
                "$unset": {"lease": "", "lease_until": ""},
            },
            session=session,
        )
        if stored.matched_count != 1:
            raise FenceLost(f"the claim of {record_id} was taken over")

    async def _release(self, record_id: str, lease: str) -> None:
        with database_deadline(self._deadline):
            await self._records.delete_one({"_id": record_id, "lease": lease})


def record_key(scope: str, method: str, path: str, key: str) -> str:
    """The record's `_id`: its four parts as a JSON array, unambiguous whatever characters they hold."""
    return json.dumps([scope, method, path, key], separators=(",", ":"))


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
