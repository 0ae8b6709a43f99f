"""GET /v1/orders/{order_id}/timeline: one order's history across the four services."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel

from services.escrow.domain.timeline import TimelineEntry, supplier_entries
from services.escrow.handlers.access import ORDERS
from shared.http.routes import Api, principal
from shared.security.access import Parties, Relation
from shared.security.roles import PERSON_ROLES

from .deps import TIMELINE

TIMELINE_READERS = PERSON_ROLES


class OrderTimeline(BaseModel):
    order_id: str
    entries: list[TimelineEntry]


api = Api("timeline", requires=(TIMELINE,))


@api.get("/v1/orders/{order_id}/timeline", response=OrderTimeline, roles=TIMELINE_READERS)
async def order_timeline(request: web.Request) -> OrderTimeline:
    """The order's events from every service, oldest first (each party sees what it may)."""
    order_id = request.match_info["order_id"]
    recorded, known = await request.app[TIMELINE].timeline(order_id)
    parties = None if known is None else Parties(buyer_id=known.buyer_id, supplier_id=known.supplier_id)
    relation = ORDERS.visible(principal(request), parties, f"order {order_id}")
    entries = supplier_entries(recorded) if relation is Relation.SUPPLIER else recorded
    return OrderTimeline(order_id=order_id, entries=entries)
