"""What logistics' handlers need from storage: MongoDB adapters in production, in-memory fakes in tests."""

from __future__ import annotations

from typing import Protocol

from shared.mongo import Session
from shared.store import Repository, Versioned

from ..domain.inspection import Inspection
from ..domain.orders import KnownOrder
from ..domain.returns import EasyReturn
from ..domain.routes import GuaranteedRoute
from ..domain.shipment import Shipment


class Routes(Repository[GuaranteedRoute], Protocol):
    async def on_lane(self, origin: str, destination: str) -> list[GuaranteedRoute]: ...

    async def all(self) -> list[GuaranteedRoute]: ...


class Shipments(Repository[Shipment], Protocol):
    async def of_order(
        self, order_id: str, *, session: Session | None = None
    ) -> Versioned[Shipment] | None: ...

    async def tracked(
        self, carrier: str, tracking_number: str, *, session: Session | None = None
    ) -> Versioned[Shipment] | None: ...


class Inspections(Repository[Inspection], Protocol):
    async def latest_of(self, shipment_id: str, *, session: Session) -> Inspection | None: ...


Orders = Repository[KnownOrder]
Returns = Repository[EasyReturn]
