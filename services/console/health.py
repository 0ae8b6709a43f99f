"""Probes and metrics, like every service's: /healthz (alive), /readyz (the four APIs answer), /metrics."""

from __future__ import annotations

import asyncio

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services.console.deps import METRICS, UPSTREAM
from services.console.settings import SERVICE_NAMES

routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


@routes.get("/readyz")
async def readyz(request: web.Request) -> web.Response:
    upstream = request.app[UPSTREAM]
    answers = await asyncio.gather(*(upstream.reachable(service) for service in SERVICE_NAMES))
    checks = dict(zip(SERVICE_NAMES, answers, strict=True))
    if all(answers):
        return web.json_response({"status": "ready", "checks": checks})
    return web.json_response({"status": "not-ready", "checks": checks}, status=503)


@routes.get("/metrics")
async def metrics(request: web.Request) -> web.Response:
    return web.Response(
        body=generate_latest(request.app[METRICS].registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
    )
