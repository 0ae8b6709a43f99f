"""What the disputes routes read from the app: the composition root (`app.py`) sets every key."""

from __future__ import annotations

from aiohttp import web

from services.disputes.adapters.after_sales import AfterSalesRepository
from services.disputes.adapters.claims import ClaimRepository
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
# The lists read pages straight from the stores: a read changes nothing, so it needs no handler.
CLAIM_PAGES = web.AppKey("claim_pages", ClaimRepository)
AFTER_SALES_PAGES = web.AppKey("after_sales_pages", AfterSalesRepository)
