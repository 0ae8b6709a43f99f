"""Easy Return: the buyer asks, an eligible order gets a free label to the local warehouse."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict

from shared.contracts.logistics import ReturnReason
from shared.http.pages import Page
from shared.http.routes import Api, principal
from shared.security.roles import Role
from shared.store import value_of
from shared.text import Identifier

from ..adapters.lists import RETURN_LIST
from ..handlers.access import RETURNS
from ..handlers.returns import request_easy_return
from .access import PARTIES_AND_OPS
from .deps import LISTS, LOGISTICS
from .list_views import ReturnListQuery, ReturnPage, ReturnSummary
from .views import ReturnView


class RequestReturn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_id: Identifier
    reason: ReturnReason


api = Api("returns", requires=(LOGISTICS, LISTS))


@api.get("/v1/returns", query=ReturnListQuery, response=ReturnPage, roles=PARTIES_AND_OPS)
async def list_returns(request: web.Request, query: ReturnListQuery) -> Page[ReturnSummary]:
    """The caller's returns (all for ops), newest first, each with what it waits for."""
    listing = query.listing(RETURN_LIST, principal(request))
    return ReturnPage.of(await request.app[LISTS].return_page(listing), ReturnSummary.of)


@api.post("/v1/returns", body=RequestReturn, response=ReturnView, status=201, roles={Role.BUYER})
async def request_return(request: web.Request, body: RequestReturn) -> ReturnView:
    """Free return label when the order is eligible; otherwise 422 naming the reason."""
    ret = await request_easy_return(
        request.app[LOGISTICS],
        order_id=body.order_id,
        who=principal(request),
        reason=body.reason,
    )
    return ReturnView.of(ret)


@api.get("/v1/returns/{return_id}", response=ReturnView, roles=PARTIES_AND_OPS)
async def read_return(request: web.Request) -> ReturnView:
    """A return and its label (the order's parties and ops)."""
    return_id = request.match_info["return_id"]
    stored = await request.app[LOGISTICS].returns.get(return_id)
    return ReturnView.of(RETURNS.seen(principal(request), value_of(stored), f"return {return_id}"))
