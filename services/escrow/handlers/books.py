"""The service layer's one way to change an order: load → decide → guarded save + journal + outbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

import structlog

from services.escrow.adapters.journal import Journal
from services.escrow.adapters.orders import OrderRepository
from services.escrow.domain.order import Order, OrderChange
from services.escrow.domain.policy import EscrowPolicy
from shared.clock import Clock
from shared.messaging.envelope import Envelope, Event
from shared.mongo import Session

T = TypeVar("T")
Emit = Callable[[Event], Awaitable[object]]
Decide = Callable[[Order, Session], Awaitable[OrderChange]]

log = structlog.get_logger("services.escrow")


class Transactor(Protocol):
    """What the handlers need from the platform: retried transactions and the outbox (`Platform` is one)."""

    async def transaction(self, work: Callable[[Session], Awaitable[T]]) -> T: ...

    async def record(self, session: Session, event: Event) -> Envelope: ...


@dataclass(frozen=True)
class Books:
    """The order store, the journal, the policy and the clock every escrow handler works with."""

    tx: Transactor
    orders: OrderRepository
    journal: Journal
    policy: EscrowPolicy
    clock: Clock

    def emitter(self, session: Session) -> Emit:
        async def emit(event: Event) -> Envelope:
            return await self.tx.record(session, event)

        return emit

    async def commit(
        self, session: Session, change: OrderChange, *, expected_version: int | None, emit: Emit
    ) -> Order:
        """Save the decided change with its entries and events in the caller's transaction; a no-op
        (already applied) change writes nothing."""
        if not change.changed:
            return change.order
        if expected_version is None:
            await self.orders.insert(change.order, session=session)
        else:
            await self.orders.save(change.order, expected_version=expected_version, session=session)
        await self.journal.book(change.entries, session=session)
        for event in change.events:
            await emit(event)
            log.info(event.TYPE, order_id=change.order.order_id, status=change.order.status.value)
        return change.order

    async def apply(self, session: Session, emit: Emit, order_id: str, decide: Decide) -> Order:
        """Change one order inside the caller's transaction (a consumer's or a timer's)."""
        stored = await self.orders.get(order_id, session=session)
        change = await decide(stored.value, session)
        return await self.commit(session, change, expected_version=stored.version, emit=emit)

    async def change(self, order_id: str, decide: Decide) -> Order:
        """Change one order in a transaction of its own (an HTTP command), retried as a whole."""

        async def work(session: Session) -> Order:
            return await self.apply(session, self.emitter(session), order_id, decide)

        return await self.tx.transaction(work)
