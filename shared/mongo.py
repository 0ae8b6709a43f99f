"""MongoDB through PyMongo's AsyncMongoClient: one database per service, indexes, retried transactions."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import structlog
from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConnectionFailure, OperationFailure, PyMongoError
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

from shared.errors import Transient

Document = dict[str, Any]
Session = AsyncClientSession
T = TypeVar("T")

log = structlog.get_logger(__name__)

# Mongo's own labels for errors after which the whole transaction may safely be run again.
_TRANSIENT = "TransientTransactionError"
_UNKNOWN_COMMIT = "UnknownTransactionCommitResult"


def connect(url: str, *, app_name: str) -> AsyncMongoClient[Document]:
    """A client with timeouts that fail fast instead of hanging a request or a handler."""
    return AsyncMongoClient(
        url,
        appname=app_name,
        tz_aware=True,
        serverSelectionTimeoutMS=5_000,
        connectTimeoutMS=5_000,
        uuidRepresentation="standard",
    )


@dataclass(frozen=True)
class Indexes:
    """Indexes a collection needs, declared beside the repository that queries it."""

    collection: str
    models: list[IndexModel] = field(default_factory=list)


async def ensure_indexes(db: AsyncDatabase[Document], declarations: Iterable[Indexes]) -> None:
    for declaration in declarations:
        if declaration.models:
            await db[declaration.collection].create_indexes(declaration.models)


class FenceLost(RuntimeError):
    """The claim a transaction ran under was taken over meanwhile: its effects must not commit."""

    code: ClassVar[str] = "idempotency_request_in_progress"


@dataclass
class Fence:
    """A claim every transaction run on its behalf re-asserts before committing (a fencing token).

    The write makes the transaction conflict with whoever takes the claim over, so at most one holder's
    effects ever commit: a request that outlived its idempotency lease cannot commit after its retry did.
    """

    collection: AsyncCollection[Document]
    claim: Document  # matches the claim only while it is still ours
    mark: Document  # the update that re-asserts it
    # Cleared when the request is over: a task it started (which copies its context) is not fenced after.
    active: bool = True

    async def hold(self, session: Session) -> None:
        held = await self.collection.update_one(self.claim, self.mark, session=session)
        if held.matched_count != 1:
            raise FenceLost(f"the claim {self.claim} was taken over")


_FENCE: ContextVar[Fence | None] = ContextVar("transaction_fence", default=None)


@contextlib.contextmanager
def fenced(fence: Fence) -> Iterator[None]:
    """Every transaction run in this context (this request and the tasks it starts) holds `fence`."""
    token = _FENCE.set(fence)
    try:
        yield
    finally:
        fence.active = False
        _FENCE.reset(token)


class TransactionFailed(Transient):
    """A transaction still hit transient errors when its time budget ran out (503; a message is retried)."""


async def run_in_transaction(
    client: AsyncMongoClient[Document],
    work: Callable[[Session], Awaitable[T]],
    *,
    budget_seconds: float = 30.0,
) -> T:
    """Run `work` in a transaction, retrying the whole of it on transient errors with jittered back-off.

    `work` must do all its I/O through the session it is given, so that a retry starts from scratch.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + budget_seconds
    attempt = 0
    while True:
        attempt += 1
        try:
            async with client.start_session() as session:
                async with await session.start_transaction(
                    read_concern=ReadConcern("snapshot"), write_concern=WriteConcern("majority")
                ):
                    result = await work(session)
                    if (fence := _FENCE.get()) is not None and fence.active:
                        await fence.hold(session)
                return result
        except PyMongoError as error:
            if not _is_retryable(error) or loop.time() >= deadline:
                if _is_retryable(error):
                    raise TransactionFailed(f"gave up after {attempt} attempts") from error
                raise
            delay = min(0.5, 0.005 * 2 ** min(attempt, 7)) * random.uniform(0.5, 1.0)
            log.debug("transaction_retry", attempt=attempt, error=str(error), delay=delay)
            await asyncio.sleep(delay)


def _is_retryable(error: PyMongoError) -> bool:
    if error.has_error_label(_TRANSIENT) or error.has_error_label(_UNKNOWN_COMMIT):
        return True
    # Write conflicts between concurrent transactions surface as code 112 on some servers without a label.
    return isinstance(error, ConnectionFailure) or (isinstance(error, OperationFailure) and error.code == 112)


def is_duplicate_key(error: PyMongoError) -> bool:
    return isinstance(error, OperationFailure) and error.code == 11000
