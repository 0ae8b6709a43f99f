"""Logistics' handlers wired once: over MongoDB in app.py, over in-memory fakes in tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.clock import Clock
from shared.messaging.subscription import Subscription
from shared.unit_of_work import UnitOfWork

from .adapters.carrier import Carrier
from .domain.policy import LogisticsPolicy
from .handlers.logistics import Logistics
from .handlers.orders import escrow_orders
from .handlers.ports import Inspections, Orders, Returns, Routes, Shipments
from .handlers.returns import dispute_returns


@dataclass(frozen=True)
class LogisticsService:
    """The handlers' shared state and the subscriptions that feed them."""

    logistics: Logistics
    subscriptions: tuple[Subscription, ...]


def bootstrap(
    *,
    uow: UnitOfWork,
    clock: Clock,
    policy: LogisticsPolicy,
    carrier: Carrier,
    return_warehouse: Callable[[str], str],
    routes: Routes,
    shipments: Shipments,
    orders: Orders,
    inspections: Inspections,
    returns: Returns,
) -> LogisticsService:
    logistics = Logistics(
        uow=uow,
        clock=clock,
        policy=policy,
        carrier=carrier,
        return_warehouse=return_warehouse,
        routes=routes,
        shipments=shipments,
        orders=orders,
        inspections=inspections,
        returns=returns,
    )
    return LogisticsService(logistics, (escrow_orders(logistics), dispute_returns(logistics)))
