"""The unit of work: one atomic change whose writes and events commit together or not at all.

Handlers take a `UnitOfWork` and never see MongoDB: `MongoUnitOfWork` runs the change in a retried
transaction with the outbox (events correlated by shared.correlation), and `tests/support/fakes` runs it
in memory for fast handler tests.
A change that happens inside a transaction someone else runs (a consumer's message, a timer's fire)
is a `Transaction` too, so one handler serves HTTP, messages and timers alike.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from pymongo import AsyncMongoClient

from shared.correlation import correlated
from shared.messaging.envelope import Event
from shared.messaging.outbox import Outbox
from shared.messaging.subscription import MessageContext
from shared.mongo import Document, Session, run_in_transaction
from shared.timers import Fire

T = TypeVar("T")
Emit = Callable[[Event], Awaitable[object]]
EmitMany = Callable[[Sequence[Event]], Awaitable[object]]


@dataclass(frozen=True)
class Transaction:
    """A change in progress: reads and writes pass `session`; `emit` adds an event to its outbox."""

    session: Session
    emit: Emit
    # Several events in one outbox write; without it, `emit_all` emits them one by one.
    emit_many: EmitMany | None = None

    @classmethod
    def of_message(cls, context: MessageContext) -> Transaction:
        """The consumer's transaction: follow-on events carry the message's correlation and cause."""
        return cls(context.session, context.emit, context.emit_all)

    async def emit_all(self, events: Sequence[Event]) -> None:
        """The events a change emits at once, in order: one outbox write where the outbox allows."""
        if self.emit_many is not None:
            await self.emit_many(events)
            return
        for event in events:
            await self.emit(event)


Work = Callable[[Transaction], Awaitable[T]]


class UnitOfWork(Protocol):
    async def run(self, work: Work[T], *, correlation_id: str | None = None) -> T:
        """Run `work` as one atomic change; events it emits are published only if it commits.

        Its events carry the correlation of the request or message in progress, or `correlation_id`.
        """
        ...

    def joined(self, session: Session) -> Transaction:
        """The change a timer makes inside the transaction that claimed its due date."""
        ...


class MongoUnitOfWork:
    """A retried MongoDB transaction whose events join the transactional outbox."""

    def __init__(self, client: AsyncMongoClient[Document], outbox: Outbox) -> None:
        self._client = client
        self._outbox = outbox

    async def run(self, work: Work[T], *, correlation_id: str | None = None) -> T:
        async def attempt(session: Session) -> T:
            return await work(self.joined(session))

        if correlation_id is None:
            return await run_in_transaction(self._client, attempt)
        with correlated(correlation_id):
            return await run_in_transaction(self._client, attempt)

    def joined(self, session: Session) -> Transaction:
        async def emit(event: Event) -> object:
            return await self._outbox.add(session, event)

        async def emit_many(events: Sequence[Event]) -> object:
            return await self._outbox.add_all(session, events)

        return Transaction(session, emit, emit_many)


# A change an aggregate's persisted timer makes: (the transaction, the aggregate's id, the firing instant).
TimerHandler = Callable[[Transaction, str, datetime], Awaitable[None]]


def fired_by_timer(uow: UnitOfWork, handler: TimerHandler) -> Fire:
    """A `DueTimer` fire that runs `handler` for the due document's aggregate, in the transaction that
    claimed its due date (the timer binds the correlation `timer:<name>:<id>` around it)."""

    async def fire(session: Session, document: Document, now: datetime) -> None:
        await handler(uow.joined(session), str(document["_id"]), now)

    return fire
