"""Quote route: a buyer locks the price of (product, quantity, destination) in a signed, expiring quote."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from services.catalog.api.access import BUYER
from services.catalog.api.deps import QUOTES
from services.catalog.api.views import QuoteView
from services.catalog.domain.quote import QuoteRequest
from shared.contracts.catalog import QuoteKind
from shared.http.mapping import to_domain
from shared.http.routes import Api, principal
from shared.money import Quantity
from shared.text import Identifier


class RequestQuote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: Identifier
    quantity: Quantity
    destination: str = Field(max_length=2, pattern=r"^[A-Z]{2}$")
    kind: QuoteKind = "standard"


api = Api("quotes", requires=(QUOTES,))


@api.post("/v1/quotes", body=RequestQuote, response=QuoteView, status=201, roles=BUYER)
async def issue_quote(request: web.Request, body: RequestQuote) -> QuoteView:
    """Validate MOQ and multiple, resolve the tier, add Guaranteed shipping, attach red flags, sign."""
    signed = await request.app[QUOTES].issue(principal(request).sub, to_domain(QuoteRequest, body))
    return QuoteView(quote=signed.quote, token=signed.token)
