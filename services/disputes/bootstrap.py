"""Disputes' handlers wired once: over MongoDB in app.py, over in-memory fakes in tests."""

from __future__ import annotations

from dataclasses import dataclass

from shared.clock import Clock
from shared.messaging.subscription import Subscription
from shared.unit_of_work import UnitOfWork

from .domain.off_platform import OffPlatformRule
from .domain.policy import DisputesPolicy
from .handlers.desk import Desk
from .handlers.escrow_events import escrow_events
from .handlers.logistics_events import logistics_events
from .handlers.ports import AfterSales, Claims, Conversation, Orders


@dataclass(frozen=True)
class DisputesService:
    """The desk every handler works at, and the subscriptions that feed it."""

    desk: Desk
    subscriptions: tuple[Subscription, ...]


def bootstrap(
    *,
    uow: UnitOfWork,
    clock: Clock,
    orders: Orders,
    claims: Claims,
    conversation: Conversation,
    after_sales: AfterSales,
    policy: DisputesPolicy,
    rules: tuple[OffPlatformRule, ...],
) -> DisputesService:
    desk = Desk(
        uow=uow,
        clock=clock,
        orders=orders,
        claims=claims,
        conversation=conversation,
        after_sales=after_sales,
        policy=policy,
        rules=rules,
    )
    return DisputesService(desk, (escrow_events(desk), logistics_events(desk)))
