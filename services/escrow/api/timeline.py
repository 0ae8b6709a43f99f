"""GET /v1/orders/{order_id}/timeline: one order's history across the four services."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel

from services.escrow.domain.timeline import TimelineEntry, visible_entries
from shared.http.problems import Problem
from shared.http.routes import Api, principal
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
    caller = principal(request)
    recorded, parties = await request.app[TIMELINE].timeline(order_id)
    entries = visible_entries(recorded, parties, subject=caller.sub, role=caller.role)
    if entries is None:
        raise Problem(404, "order-not-found", "Order not found.")
    return OrderTimeline(order_id=order_id, entries=entries)
