"""What every disputes handler works with: the platform, the repositories, the policy, one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from pymongo.asynchronous.database import AsyncDatabase

from services.disputes.adapters.after_sales import AfterSalesRepository
from services.disputes.adapters.claims import ClaimRepository
from services.disputes.adapters.conversation import ConversationLog
from services.disputes.adapters.orders import OrderRepository
from services.disputes.domain.off_platform import OffPlatformRule
from services.disputes.domain.orders import OrderView
from services.disputes.domain.policy import DisputesPolicy
from shared.errors import Conflict
from shared.messaging.envelope import Event
from shared.mongo import Document, Session
from shared.platform import Platform

T = TypeVar("T")
Emit = Callable[[Event], Awaitable[Any]]


class OrderNotKnownYet(Conflict):
    """An event or request names an order escrow has not reported funded (yet): retried, or a 404."""

    code = "order_not_found"


@dataclass(frozen=True)
class Desk:
    platform: Platform
    orders: OrderRepository
    claims: ClaimRepository
    conversation: ConversationLog
    after_sales: AfterSalesRepository
    policy: DisputesPolicy
    rules: tuple[OffPlatformRule, ...]

    @classmethod
    def build(
        cls,
        platform: Platform,
        db: AsyncDatabase[Document],
        policy: DisputesPolicy,
        rules: tuple[OffPlatformRule, ...],
    ) -> Desk:
        return cls(
            platform=platform,
            orders=OrderRepository(db),
            claims=ClaimRepository(db),
            conversation=ConversationLog(db),
            after_sales=AfterSalesRepository(db),
            policy=policy,
            rules=rules,
        )

    def now(self) -> datetime:
        return self.platform.clock.now()

    async def run(self, work: Callable[[Session, Emit], Awaitable[T]]) -> T:
        """`work(session, emit)` in one retried transaction; emitted events join the outbox in it."""

        async def transaction(session: Session) -> T:
            async def emit(event: Event) -> None:
                await self.platform.record(session, event)

            return await work(session, emit)

        return await self.platform.transaction(transaction)

    async def order_view(self, order_id: str, *, session: Session | None = None) -> tuple[OrderView, int]:
        record = await self.orders.get(order_id, session=session)
        if record is None or record.view is None:
            raise OrderNotKnownYet(f"order {order_id} is not known to disputes yet")
        return record.view, record.version
