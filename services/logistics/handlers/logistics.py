"""What every logistics handler works with: the platform, the repositories, the policy and the carrier."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from shared.messaging.envelope import Event
from shared.mongo import Session
from shared.platform import Platform

from ..adapters.carrier import Carrier
from ..adapters.repositories import (
    InspectionRepository,
    OrderRepository,
    ReturnRepository,
    RouteRepository,
    ShipmentRepository,
)
from ..domain.policy import LogisticsPolicy
from ..settings import LogisticsSettings

Emit = Callable[[Event], Awaitable[object]]


@dataclass(frozen=True)
class Logistics:
    platform: Platform
    settings: LogisticsSettings
    policy: LogisticsPolicy
    carrier: Carrier
    routes: RouteRepository
    shipments: ShipmentRepository
    orders: OrderRepository
    inspections: InspectionRepository
    returns: ReturnRepository

    @classmethod
    def build(cls, platform: Platform, settings: LogisticsSettings, carrier: Carrier) -> Logistics:
        db = platform.db
        return cls(
            platform=platform,
            settings=settings,
            policy=settings.policy(),
            carrier=carrier,
            routes=RouteRepository(db),
            shipments=ShipmentRepository(db),
            orders=OrderRepository(db),
            inspections=InspectionRepository(db),
            returns=ReturnRepository(db),
        )

    def recorder(self, session: Session) -> Emit:
        """Emit into the outbox of the caller's transaction (HTTP requests and timers)."""

        async def emit(event: Event) -> object:
            return await self.platform.record(session, event)

        return emit

    async def emit_all(self, emit: Emit, events: list[Event]) -> None:
        for event in events:
            await emit(event)
