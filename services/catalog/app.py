"""Composition root of the catalog service: wires adapters, handlers, routes, subscriptions and timers."""

from __future__ import annotations

from aiohttp import web

from services.catalog.settings import CatalogSettings
from shared.clock import Clock
from shared.platform import Platform
from shared.security.jwt import TokenVerifier
from shared.service import ServiceParts, build_web_app


def build_app(
    settings: CatalogSettings | None = None,
    *,
    clock: Clock | None = None,
    verifier: TokenVerifier | None = None,
) -> web.Application:
    settings = settings or CatalogSettings()
    platform = Platform(settings, clock=clock)
    parts = ServiceParts()
    return build_web_app(platform, parts, verifier=verifier)
