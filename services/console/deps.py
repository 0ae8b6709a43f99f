"""What the console's routes read from the app and the request, under typed keys."""

from __future__ import annotations

from aiohttp import web

from services.console.operators import Identity, Operator
from services.console.session import Session, SessionCodec
from services.console.settings import ConsoleSettings
from services.console.upstream import Upstream
from shared.metrics import PlatformMetrics

SETTINGS = web.AppKey("console_settings", ConsoleSettings)
IDENTITY = web.AppKey("identity", Identity)
CODEC = web.AppKey("session_codec", SessionCodec)
UPSTREAM = web.AppKey("upstream", Upstream)
METRICS = web.AppKey("console_metrics", PlatformMetrics)

SESSION = web.RequestKey("session", Session)
OPERATOR = web.RequestKey("operator", Operator)
