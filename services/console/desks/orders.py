"""One order across the four services: money, refunds, shipment, claims, ledger entries, timeline.

Open to the desks whose role escrow lets read any order (mediation and finance); each part is fetched
only when that role may read it, so the page never shows a refusal for a part the role cannot have.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from services.console.deps import UPSTREAM
from services.console.operators import desk
from services.console.pages import opens_to, operator, render
from services.console.upstream import absent_as_none
from shared.security.roles import Role

routes = web.RouteTableDef()


async def _nothing() -> None:
    return None


@routes.get("/orders/{order_id}")
@opens_to(desk("mediation"), desk("finance"))
async def order_page(request: web.Request) -> web.Response:
    upstream, who = request.app[UPSTREAM], operator(request)
    order_id = request.match_info["order_id"]
    role = who.principal.role
    order, shipment, timeline, claims, entries = await asyncio.gather(
        upstream.get("escrow", f"/v1/orders/{order_id}", who.token),
        absent_as_none(upstream.get("logistics", f"/v1/orders/{order_id}/shipment", who.token)),
        upstream.get("escrow", f"/v1/orders/{order_id}/timeline", who.token),
        upstream.get("disputes", f"/v1/orders/{order_id}/disputes", who.token)
        if role == Role.MEDIATOR
        else _nothing(),
        upstream.get("escrow", f"/v1/orders/{order_id}/ledger-entries", who.token, {"limit": "100"})
        if role == Role.FINANCE
        else _nothing(),
    )
    context: dict[str, Any] = {
        "order": order,
        "shipment": shipment,
        "timeline": timeline["entries"],
        "claims": claims["items"] if claims else None,
        "entries": entries["items"] if entries else None,
        "decided": request.query.get("decided"),
        "desk": who.desks[0] if who.desks else None,
    }
    return render(request, "order.html", **context)
