"""The logistics collections, their indexes, and the queries the handlers need."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo import Document, Indexes, Session
from shared.store import Versioned, VersionedStore, value_of

from ..domain.inspection import Inspection
from ..domain.orders import KnownOrder
from ..domain.returns import EasyReturn
from ..domain.routes import GuaranteedRoute
from ..domain.shipment import Shipment

ROUTES, SHIPMENTS, ORDERS, INSPECTIONS, RETURNS = "routes", "shipments", "orders", "inspections", "returns"
SLA_DUE_FIELD = "sla_due_at"
# A shipment's list fields, stored beside it so its lists filter and sort on plain indexed values.
STAGE_FIELD, DISPATCH_DUE_FIELD, FUNDED_FIELD = "stage", "dispatch_due_at", "funded_at"

LOGISTICS_INDEXES = [
    Indexes(ROUTES, [IndexModel([("origin_country", ASCENDING), ("destination_country", ASCENDING)])]),
    Indexes(
        SHIPMENTS,
        [
            # One shipment per order: a second `order_funded` for it cannot open another.
            IndexModel([("order_id", ASCENDING)], unique=True, name="one_shipment_per_order"),
            IndexModel([("dispatch.carrier", ASCENDING), ("dispatch.tracking_number", ASCENDING)]),
        ],
    ),
    Indexes(INSPECTIONS, [IndexModel([("shipment_id", ASCENDING), ("booked_at", DESCENDING)])]),
    Indexes(RETURNS, [IndexModel([("order_id", ASCENDING)])]),
]


def storable_due(due: datetime | None) -> datetime | None:
    """Round up to MongoDB's millisecond precision, so a stored due date is never before the real one."""
    if due is None:
        return None
    spare = due.microsecond % 1000
    return due if spare == 0 else due + timedelta(microseconds=1000 - spare)


class RouteRepository(VersionedStore[GuaranteedRoute]):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        super().__init__(db, ROUTES, GuaranteedRoute, id_field="route_id")

    async def on_lane(self, origin: str, destination: str) -> list[GuaranteedRoute]:
        query = {"origin_country": origin, "destination_country": destination}
        return [stored.value async for stored in self.find(query)]

    async def all(self) -> list[GuaranteedRoute]:
        return [stored.value async for stored in self.find({}, sort=[("route_id", ASCENDING)])]


class ShipmentRepository(VersionedStore[Shipment]):
    """Shipments carry `sla_due_at` as a BSON date: the SLA monitor's timer reads it by index."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        super().__init__(db, SHIPMENTS, Shipment, id_field="shipment_id")

    def beside(self, value: Shipment) -> Document:
        return {
            SLA_DUE_FIELD: storable_due(value.sla_due_at),
            STAGE_FIELD: value.stage.value,
            DISPATCH_DUE_FIELD: value.promise.dispatch_deadline,
            FUNDED_FIELD: value.promise.funded_at,
        }

    async def with_ids(self, shipment_ids: Collection[str]) -> dict[str, Shipment]:
        found = self.find({"_id": {"$in": list(shipment_ids)}})
        return {stored.value.shipment_id: stored.value async for stored in found}

    async def of_order(self, order_id: str, *, session: Session | None = None) -> Versioned[Shipment] | None:
        return await self.find_one({"order_id": order_id}, session=session)

    async def tracked(
        self, carrier: str, tracking_number: str, *, session: Session | None = None
    ) -> Versioned[Shipment] | None:
        query = {"dispatch.carrier": carrier, "dispatch.tracking_number": tracking_number}
        return await self.find_one(query, session=session)


class OrderRepository(VersionedStore[KnownOrder]):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        super().__init__(db, ORDERS, KnownOrder, id_field="order_id")


class InspectionRepository(VersionedStore[Inspection]):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        super().__init__(db, INSPECTIONS, Inspection, id_field="inspection_id")

    async def latest_of(self, shipment_id: str, *, session: Session) -> Inspection | None:
        newest = [("booked_at", DESCENDING)]
        stored = await self.find_one({"shipment_id": shipment_id}, session=session, sort=newest)
        return value_of(stored)

    async def latest_of_each(self, shipment_ids: Collection[str]) -> dict[str, Inspection]:
        """The latest inspection of each of these shipments: the one its dispatch waits on."""
        newest_first = [("shipment_id", ASCENDING), ("booked_at", DESCENDING)]
        latest: dict[str, Inspection] = {}
        async for stored in self.find({"shipment_id": {"$in": list(shipment_ids)}}, sort=newest_first):
            latest.setdefault(stored.value.shipment_id, stored.value)
        return latest


class ReturnRepository(VersionedStore[EasyReturn]):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        super().__init__(db, RETURNS, EasyReturn, id_field="return_id")
