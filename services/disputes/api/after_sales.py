"""After-sales requests: the buyer asks for a service its product was sold with; the supplier fulfils."""

from __future__ import annotations

import uuid

from aiohttp import web

from services.disputes.api.access import READERS, visible_after_sales, visible_order
from services.disputes.api.deps import DESK
from services.disputes.api.models import AfterSalesRequestView, RequestAfterSales
from services.disputes.domain.after_sales import AfterSalesRequest, fulfil_after_sales, request_after_sales
from services.disputes.handlers.desk import Emit
from shared.http.middleware import correlation_id
from shared.http.routes import Api, principal
from shared.mongo import Session
from shared.security.roles import Role

api = Api("after-sales", requires=(DESK,))


@api.post(
    "/v1/orders/{order_id}/after-sales-requests",
    body=RequestAfterSales,
    response=AfterSalesRequestView,
    status=201,
    roles={Role.BUYER},
)
async def request_service(request: web.Request, body: RequestAfterSales) -> AfterSalesRequestView:
    """Ask for after-sales service; unfulfilled within the SLA, it becomes a claim."""
    desk = request.app[DESK]
    who = principal(request)
    order = await visible_order(desk, request.match_info["order_id"], who)

    async def work(session: Session, emit: Emit) -> AfterSalesRequest:
        created, events = request_after_sales(
            order,
            request_id=f"asr_{uuid.uuid4().hex}",
            buyer_id=who.sub,
            label=body.label,
            description=body.description,
            now=desk.now(),
            policy=desk.policy,
        )
        await desk.after_sales.add(created, session=session)
        for event in events:
            await emit(event)
        return created

    return AfterSalesRequestView.of(await desk.run(correlation_id(request), work))


@api.get("/v1/after-sales-requests/{request_id}", response=AfterSalesRequestView, roles=READERS)
async def read_request(request: web.Request) -> AfterSalesRequestView:
    """An after-sales request, for the order's parties and mediators."""
    desk = request.app[DESK]
    return AfterSalesRequestView.of(
        await visible_after_sales(desk, request.match_info["request_id"], principal(request))
    )


@api.post(
    "/v1/after-sales-requests/{request_id}/fulfil", response=AfterSalesRequestView, roles={Role.SUPPLIER}
)
async def fulfil(request: web.Request) -> AfterSalesRequestView:
    """The supplier reports the service done, within its SLA."""
    desk = request.app[DESK]
    who = principal(request)
    visible = await visible_after_sales(desk, request.match_info["request_id"], who)

    async def work(session: Session, emit: Emit) -> AfterSalesRequest:
        stored = await desk.after_sales.get(visible.request_id, session=session)
        assert stored is not None  # requests are never deleted
        fulfilled, events = fulfil_after_sales(stored.request, supplier_id=who.sub, now=desk.now())
        await desk.after_sales.save(fulfilled, expected_version=stored.version, session=session)
        for event in events:
            await emit(event)
        return fulfilled

    return AfterSalesRequestView.of(await desk.run(correlation_id(request), work))
