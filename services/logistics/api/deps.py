"""What logistics' routes read from the app: the composition root (`app.py`) sets every key."""

from __future__ import annotations

from aiohttp import web

from ..adapters.agency import SandboxAgency
from ..adapters.carrier import SandboxCarrier
from ..handlers.lists import LogisticsLists
from ..handlers.logistics import Logistics
from ..settings import LogisticsSettings

LOGISTICS = web.AppKey("logistics", Logistics)
SETTINGS = web.AppKey("logistics_settings", LogisticsSettings)
LISTS = web.AppKey("logistics_lists", LogisticsLists)
# Sandbox mode only: the providers the /sandbox/... controls drive.
SANDBOX_CARRIER = web.AppKey("sandbox_carrier", SandboxCarrier)
SANDBOX_AGENCY = web.AppKey("sandbox_agency", SandboxAgency)
