"""Operations (the engineer on call): late dispatches and shipment incidents from logistics, SLA breaches per
day, and every service's parked messages per queue → inspect → replay one, replay a queue, or discard."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from aiohttp import web

from services.console.charts import Bar, columns
from services.console.deps import UPSTREAM
from services.console.operators import desk
from services.console.pages import opens_to, operator, render, see_other
from services.console.settings import SERVICE_NAMES

OPERATIONS = desk("operations")
PARKED = "/v1/ops/parked-messages"
routes = web.RouteTableDef()


@routes.get("/operations")
@opens_to(OPERATIONS)
async def overview(request: web.Request) -> web.Response:
    upstream, token = request.app[UPSTREAM], operator(request).token
    now = datetime.now(UTC).isoformat()
    late, incidents, *parked = await asyncio.gather(
        upstream.get(
            "logistics",
            "/v1/shipments",
            token,
            {
                "stage": "awaiting_dispatch",
                "dispatch_due_before": now,
                "sort": "dispatch_due",
                "limit": "100",
            },
        ),
        upstream.get("logistics", "/v1/shipments", token, {"stage": "incident", "limit": "100"}),
        *(upstream.get(service, PARKED, token, {"limit": "100"}) for service in SERVICE_NAMES),
    )
    lots = {service: page["items"] for service, page in zip(SERVICE_NAMES, parked, strict=True)}
    return render(
        request,
        "operations/overview.html",
        late=late["items"],
        incidents=incidents["items"],
        breaches_chart=_breaches_per_day(late["items"]),
        lots=lots,
        done=request.query.get("done", ""),
        queues={service: Counter(item["queue"] for item in items) for service, items in lots.items()},
        desk=OPERATIONS,
    )


@routes.get("/operations/parked/{service}/{parked_id}")
@opens_to(OPERATIONS)
async def inspect(request: web.Request) -> web.Response:
    service, parked_id = _service(request), request.match_info["parked_id"]
    item = await request.app[UPSTREAM].get(
        service, f"{PARKED}/{quote(parked_id, safe='')}", operator(request).token
    )
    return render(request, "operations/parked.html", service=service, item=item, desk=OPERATIONS)


@routes.post("/operations/parked/{service}/{parked_id}/replay")
@opens_to(OPERATIONS)
async def replay(request: web.Request) -> web.Response:
    service, parked_id = _service(request), request.match_info["parked_id"]
    replayed = await request.app[UPSTREAM].post(
        service, f"{PARKED}/{quote(parked_id, safe='')}/replay", operator(request).token
    )
    return _done(f"replayed {replayed['replayed']} message(s) to {replayed['queue']}")


@routes.post("/operations/parked/{service}/replay")
@opens_to(OPERATIONS)
async def replay_queue(request: web.Request) -> web.Response:
    service, queue = _service(request), str((await request.post()).get("queue", ""))
    replayed = await request.app[UPSTREAM].post(
        service, f"{PARKED}/replay", operator(request).token, {"queue": queue}
    )
    return _done(f"replayed {replayed['replayed']} message(s) to {replayed['queue']}")


@routes.post("/operations/parked/{service}/{parked_id}/discard")
@opens_to(OPERATIONS)
async def discard(request: web.Request) -> web.Response:
    service, parked_id = _service(request), request.match_info["parked_id"]
    reason = str((await request.post()).get("reason", ""))
    discarded = await request.app[UPSTREAM].post(
        service, f"{PARKED}/{quote(parked_id, safe='')}/discard", operator(request).token, {"reason": reason}
    )
    return _done(f"discarded {discarded['id']} from {discarded['queue']}")


def _service(request: web.Request) -> str:
    service = request.match_info["service"]
    if service not in SERVICE_NAMES:
        raise web.HTTPNotFound()
    return service


def _done(what: str) -> web.Response:
    return see_other(f"/operations?done={quote(what)}")


def _breaches_per_day(late: list[dict[str, Any]]) -> Any:
    """Late dispatches counted by the day their deadline passed (the SLA breaches still open)."""
    days = Counter(str(item["dispatch_deadline"])[:10] for item in late)
    bars = [Bar(day[5:], count, str(count), "bad") for day, count in sorted(days.items())[-14:]]
    return columns("Late dispatches per deadline day", bars)
