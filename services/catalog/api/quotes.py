"""Quote route: a buyer locks the price of (product, quantity, destination) in a signed, expiring quote."""

from __future__ import annotations

from aiohttp import web

from services.catalog.api.access import BUYER
from services.catalog.api.views import QuoteView
from services.catalog.domain.quote import QuoteRequest
from services.catalog.handlers.quotes import QuoteCommands
from shared.http.routes import Api, principal


def quotes_api(service: QuoteCommands) -> Api:
    api = Api("quotes")

    @api.post("/v1/quotes", body=QuoteRequest, response=QuoteView, status=201, roles=BUYER)
    async def issue_quote(request: web.Request, body: QuoteRequest) -> QuoteView:
        """Validate MOQ and multiple, resolve the tier, add Guaranteed shipping, attach red flags, sign."""
        signed = await service.issue(principal(request).sub, body)
        return QuoteView(quote=signed.quote, token=signed.token)

    return api
