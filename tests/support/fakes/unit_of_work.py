"""A unit of work in memory: all or nothing, like the MongoDB one, with the events it committed kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar, cast

from shared.messaging.envelope import Envelope, Event
from shared.messaging.subscription import MessageContext, Subscription
from shared.mongo import Session
from shared.unit_of_work import TimerHandler, Transaction, Work

T = TypeVar("T")

# Fakes ignore sessions; handlers pass this one through to them untouched.
NO_SESSION = cast(Session, object())


class InMemory(Protocol):
    """A fake store whose state can be saved before a unit of work and put back if it fails."""

    def snapshot(self) -> Any: ...

    def restore(self, state: Any) -> None: ...


class FakeUnitOfWork:
    """Runs a change against in-memory stores; a change that raises leaves every store as it was."""

    def __init__(self, *stores: InMemory) -> None:
        self._stores = stores
        self.published: list[Event] = []
        self.committed = 0

    async def run(self, work: Work[T], *, correlation_id: str | None = None) -> T:
        before = [store.snapshot() for store in self._stores]
        emitted: list[Event] = []
        try:
            result = await work(self._transaction(emitted))
        except BaseException:
            for store, state in zip(self._stores, before, strict=True):
                store.restore(state)
            raise
        self.published.extend(emitted)
        self.committed += 1
        return result

    def joined(self, session: Session) -> Transaction:
        # A timer's change joins a transaction the caller runs: its events count once that commits.
        return self._transaction(self.published)

    async def deliver(
        self, subscriptions: Sequence[Subscription], event: Event, *, occurred_at: datetime
    ) -> None:
        """One consumer delivery: the subscribed handler in a unit of work of its own."""
        route = next(filter(None, (s.route_for(event.TYPE, event.VERSION) for s in subscriptions)), None)
        if route is None:
            raise LookupError(f"no subscription takes {event.TYPE}")
        envelope = Envelope.wrap(event, occurred_at=occurred_at, correlation_id="fake-delivery")

        async def work(tx: Transaction) -> None:
            await route.handler(MessageContext(tx.session, envelope, _Recorder(tx, occurred_at)), event)

        await self.run(work)

    async def fire(self, handler: TimerHandler, value_id: str, now: datetime) -> None:
        """A persisted timer's firing for one aggregate, in a unit of work of its own."""

        async def work(tx: Transaction) -> None:
            await handler(tx, value_id, now)

        await self.run(work)

    def types(self) -> list[str]:
        """The types of the events committed so far, in order."""
        return [event.TYPE for event in self.published]

    @staticmethod
    def _transaction(sink: list[Event]) -> Transaction:
        async def emit(event: Event) -> None:
            sink.append(event)

        return Transaction(NO_SESSION, emit)


class _Recorder:
    """The consumer's outbox, in memory: a follow-on event joins the delivery's unit of work."""

    def __init__(self, tx: Transaction, now: datetime) -> None:
        self._tx = tx
        self._now = now

    async def add(self, session: Session, event: Event) -> Envelope:
        await self._tx.emit(event)
        return Envelope.wrap(event, occurred_at=self._now, correlation_id="fake-delivery")

    async def add_all(self, session: Session, events: Sequence[Event]) -> list[Envelope]:
        return [await self.add(session, event) for event in events]
