"""MongoDB through PyMongo's AsyncMongoClient: one database per service, indexes, retried transactions."""

from __future__ import annotations

import asyncio
import contextlib
import random
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import structlog
from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.client_session import AsyncClientSession
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
    """The idempotency claim a request ran under was taken over meanwhile: its effects must not commit."""

    code: ClassVar[str] = "idempotency_request_in_progress"


@dataclass
class RequestTransaction:
    """One transaction a whole request runs in: every transaction its handler starts joins it instead.

    The idempotency layer commits the stored response in it, so an effect never commits without the
    answer a retry is to get. MongoDB has no savepoints: once a joined piece of work raised, its partial
    writes are in the session, so the request must not commit (`failed`).
    """

    client: AsyncMongoClient[Document]
    session: Session
    failed: bool = False
    # Cleared when the request is over: a task it started (which copies its context) runs its own.
    active: bool = True


_REQUEST: ContextVar[RequestTransaction | None] = ContextVar("request_transaction", default=None)


@contextlib.asynccontextmanager
async def request_transaction(
    client: AsyncMongoClient[Document], session: Session
) -> AsyncIterator[RequestTransaction]:
    """Every transaction run on `client` in this context (this request and its tasks) joins `session`,
    and so does every operation that names no session: the request reads what it has written."""
    joined = RequestTransaction(client, session)
    token = _REQUEST.set(joined)
    try:
        async with session.bind(end_session=False):
            yield joined
    finally:
        joined.active = False
        _REQUEST.reset(token)


# What to do once a session's transaction has committed (the outbox wakes its relay), per session: an
# attempt that fails drops its hooks, and the retry that runs the work again registers them anew.
_AFTER_COMMIT: weakref.WeakKeyDictionary[Session, list[Callable[[], None]]] = weakref.WeakKeyDictionary()


def after_commit(session: Session, hook: Callable[[], None]) -> None:
    """Call `hook` once the transaction `session` runs has committed (never if it aborts). Joined work
    (a request transaction) registers on the request's session, so the hook waits for the request's commit."""
    _AFTER_COMMIT.setdefault(session, []).append(hook)


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
    Inside a request transaction `work` joins it: the request's own retry starts the whole over.
    """
    joined = _REQUEST.get()
    if joined is not None and joined.active and joined.client is client:
        try:
            return await work(joined.session)
        except BaseException:
            joined.failed = True
            raise
    loop = asyncio.get_running_loop()
    deadline = loop.time() + budget_seconds
    attempt = 0
    while True:
        attempt += 1
        try:
            async with client.start_session() as session:
                try:
                    async with await session.start_transaction(
                        read_concern=ReadConcern("snapshot"), write_concern=WriteConcern("majority")
                    ):
                        result = await work(session)
                finally:
                    hooks = _AFTER_COMMIT.pop(session, [])
                for hook in hooks:  # only reached once the commit succeeded; hooks must not raise
                    hook()
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
