"""What logistics' handlers need from storage: MongoDB adapters in production, in-memory fakes in tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

from shared.mongo import Session
from shared.store import Versioned

from ..domain.inspection import Inspection
from ..domain.orders import KnownOrder
from ..domain.returns import EasyReturn
from ..domain.routes import GuaranteedRoute
from ..domain.shipment import Shipment

M = TypeVar("M")


class Store(Protocol[M]):
    """Aggregates by id, each saved only over the version it was loaded at (shared.store's guarantee)."""

    async def get(self, value_id: str, *, session: Session | None = None) -> Versioned[M] | None: ...

    async def insert(
        self, value: M, *, session: Session, beside: Mapping[str, Any] | None = None
    ) -> None: ...

    async def save(
        self,
        value: M,
        *,
        expected_version: int,
        session: Session,
        beside: Mapping[str, Any] | None = None,
    ) -> None: ...


class Routes(Store[GuaranteedRoute], Protocol):
    async def on_lane(self, origin: str, destination: str) -> list[GuaranteedRoute]: ...

    async def all(self) -> list[GuaranteedRoute]: ...


class Shipments(Store[Shipment], Protocol):
    async def of_order(
        self, order_id: str, *, session: Session | None = None
    ) -> Versioned[Shipment] | None: ...

    async def tracked(
        self, carrier: str, tracking_number: str, *, session: Session | None = None
    ) -> Versioned[Shipment] | None: ...


class Inspections(Store[Inspection], Protocol):
    async def latest_of(self, shipment_id: str, *, session: Session) -> Inspection | None: ...


Orders = Store[KnownOrder]
Returns = Store[EasyReturn]
