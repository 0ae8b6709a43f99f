"""The aiohttp application every service serves: its routes plus /healthz, /readyz, /metrics, /openapi.json.

This module only builds the app (no I/O): the service's composition root owns Mongo and broker
lifecycles, and adds `shared.http.idempotency.IDEMPOTENCY_INDEXES` to the indexes it ensures.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase

from shared.clock import Clock, SystemClock
from shared.http.idempotency import IdempotencyStore
from shared.http.middleware import expect_routes, platform_middlewares
from shared.http.openapi import Configured, build_openapi
from shared.http.problems import ERROR_STATUSES, ErrorStatuses, Problem
from shared.http.rate_limit import RateLimiter
from shared.http.routes import DATABASE_DEADLINE, IDEMPOTENCY, VERIFIER, Api
from shared.http.serving import handler_options
from shared.metrics import PlatformMetrics
from shared.mongo import Document
from shared.security.jwt import TokenVerifier
from shared.settings import ServiceSettings

OPENAPI = web.AppKey("openapi", dict[str, Any])
SANDBOX_PREFIX = "/sandbox/"
READINESS_TIMEOUT_SECONDS = 2.0

log = structlog.get_logger("shared.http")


@dataclass(frozen=True)
class ReadinessCheck:
    """A named probe for /readyz: True when the dependency can serve traffic."""

    name: str
    check: Callable[[], Awaitable[bool]]


METRICS = web.AppKey("platform_metrics", PlatformMetrics)
READINESS = web.AppKey("readiness_checks", list[ReadinessCheck])
REPLICA = web.AppKey("replica", str)


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    checks: dict[str, bool]
    replica: str  # which of the service's replicas answered (`<SERVICE>_REPLICA`)


def create_app(
    *,
    service: str,
    settings: ServiceSettings,
    db: AsyncDatabase[Document],
    metrics: PlatformMetrics,
    verifier: TokenVerifier,
    apis: list[Api],
    readiness: list[ReadinessCheck],
    error_statuses: ErrorStatuses | None = None,
    clock: Clock | None = None,
) -> web.Application:
    limiter = RateLimiter(per_second=settings.rate_limit_per_second, burst=settings.rate_limit_burst)
    app = web.Application(
        client_max_size=settings.max_body_bytes,
        middlewares=platform_middlewares(
            metrics, limiter=limiter, body_timeout_seconds=settings.http_body_timeout_seconds
        ),
        handler_args=handler_options(settings),
    )
    app[ERROR_STATUSES] = dict(error_statuses or {})
    app[VERIFIER] = verifier
    app[DATABASE_DEADLINE] = settings.database_request_timeout_seconds
    app[IDEMPOTENCY] = IdempotencyStore(
        db, clock or SystemClock(), deadline_seconds=settings.database_request_timeout_seconds
    )
    app[METRICS] = metrics
    app[READINESS] = [ReadinessCheck("mongo", lambda: _ping(db)), *readiness]
    app[REPLICA] = settings.replica
    served = [platform_api, *(_served(api, settings.sandbox) for api in apis)]
    for api in served:
        api.mount(app.router)
    configured = Configured(app[ERROR_STATUSES], settings.webhook_tolerance_seconds)
    app[OPENAPI] = build_openapi(
        title=f"Tradeguard {service}", version="v1", apis=served, configured=configured
    )
    expect_routes(metrics, app.router, _documented_statuses(app[OPENAPI]))

    async def check_dependencies(app: web.Application) -> None:
        # The composition root sets what the routes read after this function returns: check at start.
        missing = sorted({key for api in served for key in api.missing(app)})
        if missing:
            raise RuntimeError(f"{service}: routes need app keys that were never set: {', '.join(missing)}")

    app.on_startup.append(check_dependencies)
    return app


# Public on purpose: orchestrator probes and Prometheus scrape without tokens.
# No database behind them: /readyz asks it through its own check and answers its own 503.
platform_api = Api("platform", requires=(METRICS, READINESS, REPLICA, OPENAPI), database=False)


@platform_api.get("/healthz", response=Health, roles=None)
async def healthz(request: web.Request) -> Health:
    """The process is alive."""
    return Health(status="ok")


@platform_api.get("/readyz", response=Readiness, roles=None)
async def readyz(request: web.Request) -> Readiness:
    """Every dependency is ready (503 problem naming the failing checks otherwise)."""
    readiness = request.app[READINESS]
    results = await asyncio.gather(*(_passes(check) for check in readiness))
    checks = {check.name: passed for check, passed in zip(readiness, results, strict=True)}
    failing = [name for name, passed in checks.items() if not passed]
    if failing:
        raise Problem(
            503,
            "not-ready",
            "Service Unavailable.",
            f"failing checks: {', '.join(failing)}",
            extensions={"checks": checks},
        )
    return Readiness(status="ready", checks=checks, replica=request.app[REPLICA])


@platform_api.get("/metrics", roles=None)
async def prometheus_metrics(request: web.Request) -> web.Response:
    """Prometheus text exposition."""
    return web.Response(
        body=generate_latest(request.app[METRICS].registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
    )


@platform_api.get("/openapi.json", roles=None)
async def openapi(request: web.Request) -> web.Response:
    """This document."""
    return web.json_response(request.app[OPENAPI])


def _served(api: Api, sandbox: bool) -> Api:
    """Sandbox controls exist only in sandbox mode; otherwise they are not even routed."""
    if sandbox:
        return api
    return api.only(lambda route: not route.path.startswith(SANDBOX_PREFIX))


def _documented_statuses(document: dict[str, Any]) -> Callable[[str, str], list[int]]:
    """The statuses an operation of the OpenAPI document declares (its route label is the document's path)."""

    def statuses(method: str, route: str) -> list[int]:
        operation = document["paths"].get(route, {}).get(method.lower(), {})
        return [int(status) for status in operation.get("responses", {}) if status.isdigit()]

    return statuses


async def _passes(readiness: ReadinessCheck) -> bool:
    try:
        async with asyncio.timeout(READINESS_TIMEOUT_SECONDS):
            return await readiness.check()
    except Exception:
        log.warning("readiness_check_failed", check=readiness.name, exc_info=True)
        return False


async def _ping(db: AsyncDatabase[Document]) -> bool:
    await db.command("ping")
    return True
