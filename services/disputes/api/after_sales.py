"""After-sales requests: the buyer asks for a service its product was sold with; the supplier fulfils."""

from __future__ import annotations

from aiohttp import web

from services.disputes.api.access import MEDIATOR, visible_after_sales, visible_order
from services.disputes.api.models import RequestAfterSales
from services.disputes.domain.after_sales import AfterSalesRequest
from services.disputes.handlers.after_sales import AfterSalesRequests
from services.disputes.handlers.claims import Casework
from shared.http.routes import Api, principal
from shared.security.roles import Role


def after_sales_api(casework: Casework, requests: AfterSalesRequests) -> Api:
    api = Api("after-sales")

    @api.post(
        "/v1/orders/{order_id}/after-sales-requests",
        body=RequestAfterSales,
        response=AfterSalesRequest,
        status=201,
        roles={Role.BUYER},
    )
    async def request_service(request: web.Request, body: RequestAfterSales) -> AfterSalesRequest:
        """Ask for after-sales service; unfulfilled within the SLA, it becomes a claim."""
        who = principal(request)
        order = await visible_order(casework, request.match_info["order_id"], who)
        return await requests.request(order.order_id, who, label=body.label, description=body.description)

    @api.get(
        "/v1/after-sales-requests/{request_id}",
        response=AfterSalesRequest,
        roles={Role.BUYER, Role.SUPPLIER, MEDIATOR},
    )
    async def read_request(request: web.Request) -> AfterSalesRequest:
        """An after-sales request, for the order's parties and mediators."""
        return await visible_after_sales(requests, request.match_info["request_id"], principal(request))

    @api.post(
        "/v1/after-sales-requests/{request_id}/fulfil", response=AfterSalesRequest, roles={Role.SUPPLIER}
    )
    async def fulfil(request: web.Request) -> AfterSalesRequest:
        """The supplier reports the service done, within its SLA."""
        who = principal(request)
        visible = await visible_after_sales(requests, request.match_info["request_id"], who)
        return await requests.fulfil(visible.request_id, who)

    return api
