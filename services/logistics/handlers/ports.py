"""What logistics' handlers need from storage: MongoDB adapters in production, in-memory fakes in tests."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol, TypeVar

from shared.mongo import Session
from shared.paging import Listing, Slice
from shared.store import Repository, Versioned

from ..domain.inspection import Inspection
from ..domain.orders import KnownOrder
from ..domain.returns import EasyReturn
from ..domain.routes import GuaranteedRoute
from ..domain.shipment import Shipment

T = TypeVar("T")


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


class Pages(Protocol[T]):
    """A list's pages (shared.paging): the read side, served by MongoDB adapters only."""

    async def page(self, listing: Listing, *, session: Session | None = None) -> Slice[T]: ...


class ShipmentPages(Pages[Shipment], Protocol):
    async def with_ids(self, shipment_ids: Collection[str]) -> dict[str, Shipment]: ...


class InspectionPages(Pages[Inspection], Protocol):
    async def latest_of_each(self, shipment_ids: Collection[str]) -> dict[str, Inspection]: ...
