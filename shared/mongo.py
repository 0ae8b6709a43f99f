"""MongoDB through PyMongo's AsyncMongoClient: one database per service, indexes, retried transactions."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import random
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pymongo
import structlog
from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConnectionFailure, OperationFailure, PyMongoError
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

from shared import write_behind
from shared.errors import Transient

Document = dict[str, Any]
Session = AsyncClientSession
T = TypeVar("T")

log = structlog.get_logger(__name__)

# Mongo's own labels for errors after which the whole transaction may safely be run again.
_TRANSIENT = "TransientTransactionError"
_UNKNOWN_COMMIT = "UnknownTransactionCommitResult"


# Connections one process opens to its database at most (PyMongo's own default is 100).
DEFAULT_MAX_CONNECTIONS = 16


def connect(
    url: str, *, app_name: str, max_connections: int = DEFAULT_MAX_CONNECTIONS
) -> AsyncMongoClient[Document]:
    """A client with timeouts that fail fast instead of hanging a request or a handler.

    Its pool is bounded so that work beyond what the database serves at once waits in this process,
    where its deadline ends it for free. A timed-out operation on a connection is not withdrawn from the
    server: the client drops the connection and the server still does the work for nobody, while the
    retry opens another connection. With PyMongo's default of 100, a database slowed down gets more
    connections the slower it gets (chaos-long, seed 860178: escrow's server, slowed, held 120
    connections and 200 threads, and answered one request in three).
    """
    return AsyncMongoClient(
        url,
        appname=app_name,
        tz_aware=True,
        serverSelectionTimeoutMS=5_000,
        connectTimeoutMS=5_000,
        maxPoolSize=max_connections,
        uuidRepresentation="standard",
    )


class DatabaseUnavailable(Transient):
    """The service's database does not answer for now (down, restarting, cut off); nothing changed."""

    code = "database_unavailable"
    # A restarted server answers within a second or two; the client asks again then, not at once.
    retry_after_seconds = 2


def is_unavailable(error: BaseException) -> bool:
    """A failure of the connection to the database, not of the work: asking again later may succeed.

    ConnectionFailure covers AutoReconnect, NetworkTimeout and ServerSelectionTimeoutError; a timed-out
    deadline (`database_deadline`) may also surface as a server-side ExecutionTimeout (`error.timeout`).
    """
    if isinstance(error, DatabaseUnavailable | ConnectionFailure):
        return True
    return isinstance(error, PyMongoError) and error.timeout


# When the deadline of the work in progress (a request) passes, on the event loop's clock; None: no deadline.
_DEADLINE: ContextVar[float | None] = ContextVar("database_deadline", default=None)


@contextlib.contextmanager
def database_deadline(seconds: float) -> Iterator[None]:
    """Every database call in this context (a request, and the tasks it starts) shares one deadline.

    PyMongo's client-side operation timeout bounds each call, server selection included, so a database
    that is gone or paused fails the work within `seconds` instead of holding it; `run_in_transaction`
    stops retrying at the deadline too.
    """
    deadline = asyncio.get_running_loop().time() + seconds
    token = _DEADLINE.set(min(deadline, _DEADLINE.get() or deadline))
    try:
        with pymongo.timeout(seconds):
            yield
    finally:
        _DEADLINE.reset(token)


@dataclass(frozen=True)
class Indexes:
    """Indexes a collection needs, declared beside the repository that queries it."""

    collection: str
    models: list[IndexModel] = field(default_factory=list)


async def ensure_indexes(db: AsyncDatabase[Document], declarations: Iterable[Indexes]) -> None:
    for declaration in declarations:
        if declaration.models:
            await db[declaration.collection].create_indexes(declaration.models)


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
    deadline = min(loop.time() + budget_seconds, _DEADLINE.get() or float("inf"))
    attempt = 0
    while True:
        attempt += 1
        try:
            return await _one_transaction(client, work)
        except PyMongoError as error:
            if not _is_retryable(error) or loop.time() >= deadline:
                if is_unavailable(error):
                    raise DatabaseUnavailable(f"the database did not answer ({attempt} attempts)") from error
                if _is_retryable(error):
                    raise TransactionFailed(f"gave up after {attempt} attempts") from error
                raise
            delay = min(0.5, 0.005 * 2 ** min(attempt, 7)) * random.uniform(0.5, 1.0)
            log.debug("transaction_retry", attempt=attempt, error=str(error), delay=delay)
            await asyncio.sleep(delay)


# What a process does before each transaction it starts (shared/sessions.py records the server session it
# runs in, so that peers can end it if the process dies inside it), per client. By identity: clients of one
# server compare equal, and tests run several platforms, each with its own client, in one process.
BeforeTransaction = Callable[[Session], Awaitable[None]]
_BEFORE_TRANSACTION: dict[int, tuple[weakref.ref[AsyncMongoClient[Document]], BeforeTransaction]] = {}


def before_transactions(client: AsyncMongoClient[Document], hook: BeforeTransaction | None) -> None:
    """Await `hook(session)` before every transaction started on `client` (None: no longer)."""
    if hook is None:
        _BEFORE_TRANSACTION.pop(id(client), None)
    else:
        _BEFORE_TRANSACTION[id(client)] = (weakref.ref(client), hook)


def _before_transaction(client: AsyncMongoClient[Document]) -> BeforeTransaction | None:
    registered = _BEFORE_TRANSACTION.get(id(client))
    return registered[1] if registered is not None and registered[0]() is client else None


async def _one_transaction(client: AsyncMongoClient[Document], work: Callable[[Session], Awaitable[T]]) -> T:
    session = client.start_session()
    try:
        if (before := _before_transaction(client)) is not None:
            await before(session)
        await session.start_transaction(
            read_concern=ReadConcern("snapshot"), write_concern=WriteConcern("majority")
        )
        write_behind.hold_writes(session)
        result = await work(session)
        await write_behind.flush(session)
        await session.commit_transaction()
    except asyncio.CancelledError:
        _close_apart(session)
        raise
    except BaseException:
        deadline = _DEADLINE.get()
        if deadline is not None and asyncio.get_running_loop().time() >= deadline:
            _close_apart(session)
        else:
            await _close(session)
        raise
    finally:
        # Whatever the outcome, this attempt's hooks and held writes go: a retry that runs the work again
        # registers and writes anew.
        hooks = _AFTER_COMMIT.pop(session, [])
        write_behind.drop_writes(session)
    await session.end_session()
    for hook in hooks:  # only reached once the commit succeeded; hooks must not raise
        hook()
    return result


# Sessions being aborted apart from the work that ran out of time (a reference keeps each task alive).
_CLOSING: set[asyncio.Task[None]] = set()


def _close_apart(session: Session) -> None:
    """Abort the transaction and end the session in a task of its own, outside the deadline of the work.

    With the deadline passed, PyMongo would not even send the abort: the transaction would stay open on
    the server, holding its writes, and every retry of the request would meet a write conflict until the
    server's transaction lifetime ran out (the chaos suite saw a minute of 503s after a database pause).
    Not awaited: the abort waits for a database that may be gone; the answer to the client does not.
    """
    task = asyncio.create_task(_close(session), context=contextvars.Context())
    _CLOSING.add(task)
    task.add_done_callback(_CLOSING.discard)


async def _close(session: Session) -> None:
    with contextlib.suppress(PyMongoError):
        if session.in_transaction:
            await session.abort_transaction()
    with contextlib.suppress(PyMongoError):
        await session.end_session()


def _is_retryable(error: PyMongoError) -> bool:
    if error.has_error_label(_TRANSIENT) or error.has_error_label(_UNKNOWN_COMMIT):
        return True
    # Write conflicts between concurrent transactions surface as code 112 on some servers without a label.
    return is_unavailable(error) or is_write_conflict(error)


def is_write_conflict(error: PyMongoError) -> bool:
    """Another transaction, still open, has written the same document (WriteConflict, code 112)."""
    return isinstance(error, OperationFailure) and error.code == 112


def is_duplicate_key(error: PyMongoError) -> bool:
    return isinstance(error, OperationFailure) and error.code == 11000
