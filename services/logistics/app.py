"""Composition root of the logistics service: wires adapters, handlers, routes, subscriptions and timers."""

from __future__ import annotations

from aiohttp import web

from services.logistics.settings import LogisticsSettings
from shared.clock import Clock
from shared.platform import Platform
from shared.security.jwt import TokenVerifier
from shared.service import ServiceParts, build_web_app


def build_app(
    settings: LogisticsSettings | None = None,
    *,
    clock: Clock | None = None,
    verifier: TokenVerifier | None = None,
) -> web.Application:
    settings = settings or LogisticsSettings()
    platform = Platform(settings, clock=clock)
    parts = ServiceParts()
    return build_web_app(platform, parts, verifier=verifier)
