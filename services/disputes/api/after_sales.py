"""After-sales requests: the buyer asks for a service its product was sold with; the supplier fulfils."""

from __future__ import annotations

from aiohttp import web

from services.disputes.adapters.after_sales import AFTER_SALES_LIST
from services.disputes.api.access import (
    MEDIATOR,
    ORDER_LOOKUP,
    PARTY_FIELDS,
    READERS,
    visible_after_sales,
    visible_order,
)
from services.disputes.api.deps import AFTER_SALES, AFTER_SALES_PAGES, CASEWORK
from services.disputes.api.list_models import AfterSalesListQuery, AfterSalesRequestPage
from services.disputes.api.models import AfterSalesRequestView, RequestAfterSales
from shared.http.pages import party_scope
from shared.http.routes import Api, principal
from shared.security.roles import Role

api = Api("after-sales", requires=(CASEWORK, AFTER_SALES, AFTER_SALES_PAGES))


@api.post(
    "/v1/orders/{order_id}/after-sales-requests",
    body=RequestAfterSales,
    response=AfterSalesRequestView,
    status=201,
    roles={Role.BUYER},
    raises=ORDER_LOOKUP,
)
async def request_service(request: web.Request, body: RequestAfterSales) -> AfterSalesRequestView:
    """Ask for after-sales service; unfulfilled within the SLA, it becomes a claim."""
    who = principal(request)
    order = await visible_order(request.app[CASEWORK], request.match_info["order_id"], who)
    created = await request.app[AFTER_SALES].request(
        order.order_id, who, label=body.label, description=body.description
    )
    return AfterSalesRequestView.of(created)


@api.get("/v1/after-sales-requests", query=AfterSalesListQuery, response=AfterSalesRequestPage, roles=READERS)
async def list_requests(request: web.Request, query: AfterSalesListQuery) -> AfterSalesRequestPage:
    """The caller's after-sales requests (every request for mediators), soonest SLA due first."""
    listing = AFTER_SALES_LIST.listing(
        scope=party_scope(principal(request), PARTY_FIELDS, desk={MEDIATOR}),
        filters=query.filters(),
        ordering=query.sort,
        limit=query.limit,
        cursor=query.cursor,
    )
    found = await request.app[AFTER_SALES_PAGES].page(listing)
    return AfterSalesRequestPage.of(found, AfterSalesRequestView.of)


@api.get("/v1/after-sales-requests/{request_id}", response=AfterSalesRequestView, roles=READERS)
async def read_request(request: web.Request) -> AfterSalesRequestView:
    """An after-sales request, for the order's parties and mediators."""
    requests = request.app[AFTER_SALES]
    return AfterSalesRequestView.of(
        await visible_after_sales(requests, request.match_info["request_id"], principal(request))
    )


@api.post(
    "/v1/after-sales-requests/{request_id}/fulfil", response=AfterSalesRequestView, roles={Role.SUPPLIER}
)
async def fulfil(request: web.Request) -> AfterSalesRequestView:
    """The supplier reports the service done, within its SLA."""
    requests = request.app[AFTER_SALES]
    who = principal(request)
    visible = await visible_after_sales(requests, request.match_info["request_id"], who)
    return AfterSalesRequestView.of(await requests.fulfil(visible.request_id, who))
