"""Disputes' handlers wired once: over MongoDB in app.py, over in-memory fakes in tests."""

from __future__ import annotations

from dataclasses import dataclass

from shared.clock import Clock
from shared.messaging.subscription import Subscription
from shared.unit_of_work import UnitOfWork

from .domain.off_platform import OffPlatformRule
from .domain.policy import DisputesPolicy
from .handlers.after_sales import AfterSalesRequests
from .handlers.claims import Casework
from .handlers.conversation import OrderConversations
from .handlers.escrow_events import escrow_events
from .handlers.logistics_events import logistics_events
from .handlers.mediation import Mediation
from .handlers.negotiation import Negotiation
from .handlers.ports import AfterSales, Claims, Conversation, Orders


@dataclass(frozen=True)
class Disputes:
    """Every disputes handler, wired once: what the routes, the consumers and the timers call."""

    casework: Casework
    negotiation: Negotiation
    mediation: Mediation
    conversations: OrderConversations
    after_sales: AfterSalesRequests
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
) -> Disputes:
    casework = Casework(uow=uow, clock=clock, orders=orders, claims=claims, policy=policy)
    return Disputes(
        casework=casework,
        negotiation=Negotiation(casework),
        mediation=Mediation(casework, conversation),
        conversations=OrderConversations(casework, conversation, rules),
        after_sales=AfterSalesRequests(casework, after_sales),
        subscriptions=(escrow_events(casework), logistics_events(casework)),
    )
