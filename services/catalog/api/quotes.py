"""Quote route: a buyer locks the price of (product, quantity, destination) in a signed, expiring quote."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from services.catalog.adapters.quotes import QUOTE_LIST
from services.catalog.api.access import BUYER, PARTIES
from services.catalog.api.deps import CLOCK, LISTS, QUOTES
from services.catalog.api.list_views import QuoteListQuery, QuotePage, QuoteSummary
from services.catalog.api.views import QuoteView
from services.catalog.domain.errors import ExchangeRateUnavailableError
from services.catalog.domain.quote import QuoteRequest
from shared.contracts.catalog import QuoteKind
from shared.http.mapping import to_domain
from shared.http.pages import party_scope
from shared.http.routes import Api, principal
from shared.money import Quantity
from shared.security.roles import Role
from shared.text import Identifier


class RequestQuote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: Identifier
    quantity: Quantity
    destination: str = Field(max_length=2, pattern=r"^[A-Z]{2}$")
    kind: QuoteKind = "standard"


api = Api("quotes", requires=(QUOTES, LISTS, CLOCK))


@api.post(
    "/v1/quotes",
    body=RequestQuote,
    response=QuoteView,
    status=201,
    roles=BUYER,
    raises=(ExchangeRateUnavailableError,),
)
async def issue_quote(request: web.Request, body: RequestQuote) -> QuoteView:
    """Validate MOQ and multiple, resolve the tier, add Guaranteed shipping, attach red flags, record the
    exchange rate and the Easy Return promise made at it, sign; a stale rate is a 503, never a guess."""
    signed = await request.app[QUOTES].issue(principal(request).sub, to_domain(QuoteRequest, body))
    return QuoteView(quote=signed.quote, token=signed.token)


@api.get("/v1/quotes", query=QuoteListQuery, response=QuotePage, roles=PARTIES)
async def list_quotes(request: web.Request, query: QuoteListQuery) -> QuotePage:
    """A buyer's own quotes, or the quotes on a supplier's products, with status and expiry."""
    scope = party_scope(principal(request), {Role.BUYER: "buyer_id", Role.SUPPLIER: "supplier_id"})
    still_valid = {"$gt": query.expires_after} if query.expires_after else None
    listing = QUOTE_LIST.listing(
        scope=scope,
        filters={"product_id": query.product_id, "expires_at": still_valid},
        ordering=query.sort,
        limit=query.limit,
        cursor=query.cursor,
    )
    now = request.app[CLOCK].now()
    return QuotePage.of(await request.app[LISTS].quotes(listing), lambda quote: QuoteSummary.of(quote, now))
