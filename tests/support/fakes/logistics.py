"""Logistics' stores in memory, and the service bootstrapped over them with a clock the test moves."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from services.logistics.bootstrap import LogisticsService, bootstrap
from services.logistics.domain.inspection import Inspection
from services.logistics.domain.orders import KnownOrder
from services.logistics.domain.policy import LogisticsPolicy
from services.logistics.domain.returns import EasyReturn, ReturnLabel
from services.logistics.domain.routes import GuaranteedRoute
from services.logistics.domain.shipment import Shipment
from services.logistics.handlers.sla import check_shipment
from shared.clock import ManualClock
from shared.messaging.envelope import Event
from shared.mongo import Session
from shared.store import Versioned

from .store import InMemoryStore
from .unit_of_work import FakeUnitOfWork


class InMemoryRoutes(InMemoryStore[GuaranteedRoute]):
    def __init__(self) -> None:
        super().__init__("route_id")

    async def on_lane(self, origin: str, destination: str) -> list[GuaranteedRoute]:
        lane = (origin, destination)
        return [s.value for s in self.where(lambda r: (r.origin_country, r.destination_country) == lane)]

    async def all(self) -> list[GuaranteedRoute]:
        return sorted((s.value for s in self.where(lambda _: True)), key=lambda route: route.route_id)


class InMemoryShipments(InMemoryStore[Shipment]):
    def __init__(self) -> None:
        super().__init__("shipment_id")

    async def of_order(self, order_id: str, *, session: Session | None = None) -> Versioned[Shipment] | None:
        return next(iter(self.where(lambda shipment: shipment.order_id == order_id)), None)

    async def tracked(
        self, carrier: str, tracking_number: str, *, session: Session | None = None
    ) -> Versioned[Shipment] | None:
        def matches(shipment: Shipment) -> bool:
            dispatch = shipment.dispatch
            return dispatch is not None and (dispatch.carrier, dispatch.tracking_number) == (
                carrier,
                tracking_number,
            )

        return next(iter(self.where(matches)), None)


class InMemoryInspections(InMemoryStore[Inspection]):
    def __init__(self) -> None:
        super().__init__("inspection_id")

    async def latest_of(self, shipment_id: str, *, session: Session) -> Inspection | None:
        mine = [s.value for s in self.where(lambda inspection: inspection.shipment_id == shipment_id)]
        return max(mine, key=lambda inspection: inspection.booked_at, default=None)


@dataclass
class FakeCarrier:
    """A carrier that sells a label for any return, like the sandbox one, and keeps the ids it sold for."""

    sold_for: list[str] = field(default_factory=list)

    async def buy_return_label(self, *, return_id: str, warehouse_id: str) -> ReturnLabel:
        self.sold_for.append(return_id)
        return ReturnLabel(carrier="ups", tracking_number=f"1Z{return_id[:8]}", warehouse_id=warehouse_id)


@dataclass
class FakeLogistics:
    """Logistics bootstrapped as app.py bootstraps it, over in-memory stores; its SLA timer swept by hand."""

    clock: ManualClock
    policy: LogisticsPolicy = field(default_factory=LogisticsPolicy)
    routes: InMemoryRoutes = field(default_factory=InMemoryRoutes)
    shipments: InMemoryShipments = field(default_factory=InMemoryShipments)
    orders: InMemoryStore[KnownOrder] = field(default_factory=lambda: InMemoryStore("order_id"))
    inspections: InMemoryInspections = field(default_factory=InMemoryInspections)
    returns: InMemoryStore[EasyReturn] = field(default_factory=lambda: InMemoryStore("return_id"))
    carrier: FakeCarrier = field(default_factory=FakeCarrier)

    def __post_init__(self) -> None:
        self.uow = FakeUnitOfWork(self.routes, self.shipments, self.orders, self.inspections, self.returns)
        self.service: LogisticsService = bootstrap(
            uow=self.uow,
            clock=self.clock,
            policy=self.policy,
            carrier=self.carrier,
            return_warehouse=lambda country: f"wh-{country.lower()}",
            routes=self.routes,
            shipments=self.shipments,
            orders=self.orders,
            inspections=self.inspections,
            returns=self.returns,
        )
        self.logistics = self.service.logistics

    async def deliver(self, event: Event) -> None:
        """One consumer delivery of another service's event, in a unit of work of its own."""
        await self.uow.deliver(self.service.subscriptions, event, occurred_at=self.clock.now())

    async def sweep_timers(self) -> None:
        """What the SLA monitor does when the clock has moved: check every shipment that is due."""
        now = self.clock.now()
        for stored in self.shipments.where(lambda s: s.sla_due_at is not None and s.sla_due_at <= now):
            await self.uow.fire(
                functools.partial(check_shipment, self.logistics), stored.value.shipment_id, now
            )
