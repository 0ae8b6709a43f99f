"""What the disputes routes read from the app: the composition root (`app.py`) sets every key."""

from __future__ import annotations

from aiohttp import web

from services.disputes.handlers.after_sales import AfterSalesRequests
from services.disputes.handlers.claims import Casework
from services.disputes.handlers.conversation import OrderConversations
from services.disputes.handlers.mediation import Mediation
from services.disputes.handlers.negotiation import Negotiation

CASEWORK = web.AppKey("casework", Casework)
NEGOTIATION = web.AppKey("negotiation", Negotiation)
MEDIATION = web.AppKey("mediation", Mediation)
CONVERSATIONS = web.AppKey("conversations", OrderConversations)
AFTER_SALES = web.AppKey("after_sales", AfterSalesRequests)
