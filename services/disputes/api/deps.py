"""What the disputes routes read from the app: the composition root (`app.py`) sets every key."""

from __future__ import annotations

from aiohttp import web

from services.disputes.handlers.desk import Desk

DESK = web.AppKey("desk", Desk)
