"""What every disputes handler works with: the unit of work, the stores, the policy and the clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from services.disputes.domain.off_platform import OffPlatformRule
from services.disputes.domain.orders import OrderView
from services.disputes.domain.policy import DisputesPolicy
from services.disputes.handlers.ports import AfterSales, Claims, Conversation, Orders
from shared.clock import Clock
from shared.errors import Conflict
from shared.messaging.envelope import Event
from shared.mongo import Session
from shared.unit_of_work import Transaction, UnitOfWork

T = TypeVar("T")
Emit = Callable[[Event], Awaitable[Any]]


class OrderNotKnownYet(Conflict):
    """An event or request names an order escrow has not reported funded (yet): retried, or a 404."""

    code = "order_not_found"


@dataclass(frozen=True)
class Desk:
    uow: UnitOfWork
    clock: Clock
    orders: Orders
    claims: Claims
    conversation: Conversation
    after_sales: AfterSales
    policy: DisputesPolicy
    rules: tuple[OffPlatformRule, ...]

    def now(self) -> datetime:
        return self.clock.now()

    async def run(self, work: Callable[[Session, Emit], Awaitable[T]]) -> T:
        """`work(session, emit)` as one unit of work: its writes and the events it emits commit together."""

        async def change(tx: Transaction) -> T:
            return await work(tx.session, tx.emit)

        return await self.uow.run(change)

    async def order_view(self, order_id: str, *, session: Session | None = None) -> tuple[OrderView, int]:
        record = await self.orders.get(order_id, session=session)
        if record is None or record.view is None:
            raise OrderNotKnownYet(f"order {order_id} is not known to disputes yet")
        return record.view, record.version
