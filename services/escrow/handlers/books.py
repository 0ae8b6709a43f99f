"""The service layer's one way to change an order: load → decide → guarded save + journal + outbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog

from services.escrow.domain.order import Order, OrderChange
from services.escrow.domain.policy import EscrowPolicy
from shared.clock import Clock
from shared.mongo import Session
from shared.unit_of_work import Transaction, UnitOfWork

from .ports import Ledger, Orders

Decide = Callable[[Order, Session], Awaitable[OrderChange]]

log = structlog.get_logger("services.escrow")


@dataclass(frozen=True)
class Books:
    """The unit of work, the order store, the journal, the policy and the clock every handler works with."""

    uow: UnitOfWork
    orders: Orders
    journal: Ledger
    policy: EscrowPolicy
    clock: Clock

    async def commit(self, tx: Transaction, change: OrderChange, *, expected_version: int | None) -> Order:
        """Save the decided change with its entries and events in `tx`; a no-op (already applied) change
        writes nothing. A new order (`expected_version` None) whose id is taken writes nothing either: the
        order that holds it is returned (a placement retried with the same quote)."""
        if not change.changed:
            return change.order
        if expected_version is None:
            present = await self.orders.insert_unless_present(change.order, session=tx.session)
            if present is not None:
                return present.value
        else:
            await self.orders.save(change.order, expected_version=expected_version, session=tx.session)
        await self.journal.book(change.entries, session=tx.session)
        await tx.emit_all(change.events)
        for event in change.events:
            log.info(event.TYPE, order_id=change.order.order_id, status=change.order.status.value)
        return change.order

    async def apply(self, tx: Transaction, order_id: str, decide: Decide) -> Order:
        """Change one order inside `tx` (a consumer's, a timer's or a command's)."""
        stored = await self.orders.get(order_id, session=tx.session)
        change = await decide(stored.value, tx.session)
        return await self.commit(tx, change, expected_version=stored.version)

    async def change(self, order_id: str, decide: Decide) -> Order:
        """Change one order as a unit of work of its own (an HTTP command), retried as a whole."""

        async def work(tx: Transaction) -> Order:
            return await self.apply(tx, order_id, decide)

        return await self.uow.run(work)
