"""Composition root of the console: settings → identity, session codec, upstream client → routes, pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from services.console import guard, health, signin
from services.console.deps import CODEC, IDENTITY, METRICS, SETTINGS, UPSTREAM
from services.console.desks import finance, mediation, operations, orders, verification
from services.console.formatting import FILTERS
from services.console.operators import Identity
from services.console.session import SessionCodec
from services.console.settings import ConsoleSettings
from services.console.upstream import Upstream
from shared.http.middleware import expect_routes, request_middlewares
from shared.metrics import PlatformMetrics
from shared.security.jwt import TokenVerifier

HERE = Path(__file__).parent


def build_app(settings: ConsoleSettings | None = None) -> web.Application:
    settings = settings or ConsoleSettings()
    metrics = PlatformMetrics()
    app = web.Application(
        middlewares=[
            *request_middlewares(metrics),
            guard.security_headers,
            guard.sessions,
            guard.failures_as_pages,
        ],
        client_max_size=64 * 1024,  # forms only: a decision's rationale, an evidence request
    )
    app[SETTINGS] = settings
    app[METRICS] = metrics
    app[CODEC] = SessionCodec(settings.session_secret, ttl_seconds=settings.session_ttl_seconds)
    app[IDENTITY] = Identity(
        TokenVerifier.from_file(
            settings.jwt_public_keys_file, audience=settings.jwt_audience, issuer=settings.jwt_issuer
        ),
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
        # Outside sandbox the console has no key to mint with, whatever the settings say.
        signing_key=settings.dev_signing_key_file if settings.sandbox else None,
    )
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its name: user content is always text
        undefined=jinja2.StrictUndefined,
        filters=FILTERS,
    )
    app[UPSTREAM] = Upstream(
        settings.service_endpoints,
        timeout_seconds=settings.upstream_timeout_seconds,
        registry=metrics.registry,
    )
    app.cleanup_ctx.append(_upstream_session)
    for table in (
        health.routes,
        signin.routes,
        mediation.routes,
        verification.routes,
        finance.routes,
        operations.routes,
        orders.routes,
    ):
        app.router.add_routes(table)
    app.router.add_static("/static/", HERE / "static", name="static")
    expect_routes(metrics, app.router)
    return app


async def _upstream_session(app: web.Application) -> AsyncIterator[None]:
    await app[UPSTREAM].open()
    yield
    await app[UPSTREAM].close()
