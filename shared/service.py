"""Composition helpers every service's `app.py` uses: one web app owning the platform's lifecycle."""

from __future__ import annotations

import cProfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from aiohttp import web

from shared.http.app import ReadinessCheck, create_app
from shared.http.idempotency import IDEMPOTENCY_INDEXES
from shared.http.problems import ErrorStatuses
from shared.http.routes import IDEMPOTENCY, Api
from shared.http.serving import serve
from shared.logging import configure_logging
from shared.messaging.subscription import Subscription
from shared.mongo import Indexes
from shared.paging import ListSpec
from shared.parking import api as parking_api
from shared.parking.lot import PARKED_LIST, PARKING_INDEXES
from shared.platform import Platform
from shared.sandbox import SandboxClock
from shared.security.jwt import TokenVerifier
from shared.settings import ServiceSettings
from shared.timers import DueTimer

S = TypeVar("S", bound=ServiceSettings)
PLATFORM = web.AppKey("platform", Platform)
# The subscriptions the app consumes once started (the sandbox clock's included), readable without starting
# it: the AsyncAPI generator (deploy/asyncapi.py) documents the consumers from them.
SUBSCRIPTIONS: web.AppKey[tuple[Subscription, ...]] = web.AppKey("subscriptions")
# The lists the app serves and the indexes it declares (its lists' included), readable without starting it.
LISTS: web.AppKey[tuple[ListSpec, ...]] = web.AppKey("lists")
INDEXES: web.AppKey[tuple[Indexes, ...]] = web.AppKey("indexes")


@dataclass
class ServiceParts:
    """What a service contributes on top of the platform; its composition root fills this in."""

    apis: list[Api] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    indexes: list[Indexes] = field(default_factory=list)
    timers: list[DueTimer] = field(default_factory=list)
    lists: list[ListSpec] = field(default_factory=list)
    error_statuses: ErrorStatuses = field(default_factory=dict)


def build_web_app(
    platform: Platform, parts: ServiceParts, *, verifier: TokenVerifier | None = None
) -> web.Application:
    """The service's aiohttp app; starting it starts the platform, and its cleanup is graceful shutdown."""
    settings = platform.settings
    # Every service serves its parking lot to operators, like its health and metrics.
    lists = (*parts.lists, PARKED_LIST)
    indexes = (
        IDEMPOTENCY_INDEXES,
        *PARKING_INDEXES,
        *parts.indexes,
        *(timer.index for timer in parts.timers),
        *(spec.indexes for spec in lists),
    )
    apis, subscriptions = [*parts.apis, parking_api.api], list(parts.subscriptions)
    sandbox: SandboxClock | None = None
    if settings.sandbox:

        def wake_timers() -> None:
            for timer in parts.timers:
                timer.wake()

        sandbox = SandboxClock(platform, wake_timers=wake_timers)
        apis.append(sandbox.api)
        subscriptions.append(sandbox.subscription())
    app = create_app(
        service=settings.service_name,
        settings=settings,
        db=platform.db,
        metrics=platform.metrics,
        verifier=verifier or load_verifier(settings),
        apis=apis,
        readiness=[
            ReadinessCheck("broker", platform.broker_ready),
            ReadinessCheck("consumers", platform.consumers_ready),
        ],
        error_statuses=parts.error_statuses,
        clock=platform.clock,
    )

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        if sandbox is not None:
            await sandbox.restore()
        await platform.start(
            subscriptions=subscriptions,
            indexes=indexes,
            workers=[*parts.timers, *([sandbox] if sandbox is not None else [])],
        )
        # Before the first request is served (aiohttp serves once this context has entered).
        await app[IDEMPOTENCY].rekey_earlier_records()
        yield
        await platform.stop()

    app.cleanup_ctx.append(lifecycle)
    app[PLATFORM] = platform
    app[parking_api.PARKING_LOT] = platform.parking_lot
    app[SUBSCRIPTIONS] = tuple(subscriptions)
    app[LISTS] = lists
    app[INDEXES] = indexes
    return app


def refuse_development_values(settings: ServiceSettings) -> None:
    """Outside sandbox mode, stop before serving while a setting still holds its development default."""
    if names := settings.development_values():
        raise SystemExit(
            f"{settings.service_name}: refusing to start outside sandbox mode with development values; "
            f"set {', '.join(names)} (or {settings.SERVICE.upper()}_SANDBOX=true on a developer machine)"
        )


def load_verifier(settings: ServiceSettings) -> TokenVerifier:
    return TokenVerifier.from_file(
        settings.jwt_public_keys_file, audience=settings.jwt_audience, issuer=settings.jwt_issuer
    )


def run_service(settings: S, build_app: Callable[[S], web.Application]) -> None:
    """`python -m services.<name>`: serve until SIGINT/SIGTERM, then shut down gracefully."""
    refuse_development_values(settings)
    configure_logging(settings.service_name, level=settings.log_level, json=settings.log_json)
    app = build_app(settings)
    # CPU time, not wall time: on a shared machine wall time mostly measures waiting for a core.
    profiler = cProfile.Profile(time.process_time) if settings.profile_path else None
    if profiler is not None:
        profiler.enable()
    try:
        serve(app, settings)
    finally:
        if profiler is not None and settings.profile_path is not None:
            profiler.disable()
            profiler.dump_stats(settings.profile_path)
