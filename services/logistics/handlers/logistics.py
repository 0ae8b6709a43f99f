"""What every logistics handler works with: the unit of work, stores, policy, carrier and clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.clock import Clock
from shared.unit_of_work import UnitOfWork

from ..adapters.carrier import Carrier
from ..domain.policy import LogisticsPolicy
from .ports import Inspections, Orders, Returns, Routes, Shipments


@dataclass(frozen=True)
class Logistics:
    uow: UnitOfWork
    clock: Clock
    policy: LogisticsPolicy
    carrier: Carrier
    # The local warehouse that takes returns from a destination country.
    return_warehouse: Callable[[str], str]
    routes: Routes
    shipments: Shipments
    orders: Orders
    inspections: Inspections
    returns: Returns
