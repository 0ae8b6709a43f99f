"""The catalog's replica of logistics' Guaranteed route table, kept from `guaranteed_route_upserted`.

A replica (not an HTTP call per quote) keeps quoting available and fast when logistics is slow or down;
the price of that is staleness of one event's latency, and the quote records which route it used.
"""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from services.catalog.domain.shipping import GuaranteedRoute
from shared.mongo import Document, Indexes, Session
from shared.store import from_document, to_document

ROUTES = "guaranteed_routes"
ROUTE_INDEXES = Indexes(
    ROUTES, [IndexModel([("origin", ASCENDING), ("destination", ASCENDING)], name="lane")]
)


class RouteTable:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._routes = db[ROUTES]

    async def upsert(self, route: GuaranteedRoute, announced_at: datetime, *, session: Session) -> bool:
        """Apply an announcement unless a later one was applied already (redelivery may reorder them)."""
        current = await self._routes.find_one({"_id": route.route_id}, {"announced_at": 1}, session=session)
        if current is not None and current["announced_at"] > announced_at:
            return False
        fields = {"origin": route.origin, "destination": route.destination, "announced_at": announced_at}
        await self._routes.update_one(
            {"_id": route.route_id},
            {"$set": {**fields, "route": to_document(route)}},
            upsert=True,
            session=session,
        )
        return True

    async def lane(self, origin: str, destination: str) -> list[GuaranteedRoute]:
        found = self._routes.find({"origin": origin, "destination": destination})
        return [from_document(GuaranteedRoute, document["route"]) async for document in found]
