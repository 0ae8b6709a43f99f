"""Order routes: place from a quote, read, amend, produce, cancel, confirm receipt, claim compensation."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from services.escrow.domain.order import Order
from services.escrow.domain.quote_terms import BuyerChoices, order_from_quote
from services.escrow.handlers.orders import buyer_tier
from shared.http.routes import Api, principal
from shared.security.roles import PARTIES, PERSON_ROLES, Role

from .deps import CLOCK, COMPENSATION, ORDER_COMMANDS, POLICY, QUOTES, RELEASE, SETTINGS
from .models import CancelOrder, ClaimCompensation, OrderView, PlaceOrder, ProposeAmendment

VIEWERS = PERSON_ROLES

api = Api("orders", requires=(SETTINGS, POLICY, CLOCK, QUOTES, ORDER_COMMANDS, RELEASE, COMPENSATION))


def _view(request: web.Request, order: Order) -> OrderView:
    return OrderView.of(order, request.app[POLICY])


@api.post("/v1/orders", body=PlaceOrder, response=OrderView, status=201, roles={Role.BUYER})
async def place_order(request: web.Request, body: PlaceOrder) -> OrderView:
    """Place a Trade Assurance order from a signed catalog quote; the contract is version 1."""
    who = principal(request)
    settings = request.app[SETTINGS]
    quote = request.app[QUOTES].read(body.quote)
    choices = BuyerChoices(
        incoterm=body.incoterm or settings.default_incoterm,
        destination_timezone=body.destination_timezone,
        handling_time=timedelta(days=body.handling_days)
        if body.handling_days
        else settings.default_handling_time,
        transit_days=body.transit_days or settings.default_transit_days,
        inspection_required=body.inspection_required,
        product_specs=body.product_specs,
        documents=tuple(body.documents),
    )
    quoted = order_from_quote(
        quote,
        buyer_id=who.sub,
        tier=buyer_tier(who),
        choices=choices,
        now=request.app[CLOCK].now(),
        policy=request.app[POLICY],
    )
    commands = request.app[ORDER_COMMANDS]
    return _view(request, await commands.place(quoted, buyer=who))


@api.get("/v1/orders/{order_id}", response=OrderView, roles=VIEWERS)
async def get_order(request: web.Request) -> OrderView:
    """The order with its contract versions and money; only its buyer, its supplier and ops see it."""
    order = await request.app[ORDER_COMMANDS].view(request.match_info["order_id"], principal(request))
    return _view(request, order)


@api.post(
    "/v1/orders/{order_id}/amendments",
    body=ProposeAmendment,
    response=OrderView,
    status=201,
    roles=PARTIES,
)
async def propose_amendment(request: web.Request, body: ProposeAmendment) -> OrderView:
    """Propose new contract terms; they apply once the other party accepts."""
    changes = body.model_dump(exclude_none=True, exclude={"handling_days"})
    if body.handling_days is not None:
        changes["handling_time"] = timedelta(days=body.handling_days)
    order = await request.app[ORDER_COMMANDS].propose_amendment(
        request.match_info["order_id"],
        principal(request),
        changes,
    )
    return _view(request, order)


@api.post("/v1/orders/{order_id}/amendments/{version}/accept", response=OrderView, roles=PARTIES)
async def accept_amendment(request: web.Request) -> OrderView:
    """The other party accepts: the amendment becomes the next immutable contract version."""
    order = await request.app[ORDER_COMMANDS].accept_amendment(
        request.match_info["order_id"],
        principal(request),
        _version(request),
    )
    return _view(request, order)


@api.post("/v1/orders/{order_id}/amendments/{version}/decline", response=OrderView, roles=PARTIES)
async def decline_amendment(request: web.Request) -> OrderView:
    """Either party declines or withdraws the pending amendment; the contract stays as agreed."""
    order = await request.app[ORDER_COMMANDS].decline_amendment(
        request.match_info["order_id"],
        principal(request),
        _version(request),
    )
    return _view(request, order)


@api.post("/v1/orders/{order_id}/production-started", response=OrderView, roles={Role.SUPPLIER})
async def start_production(request: web.Request) -> OrderView:
    """The supplier reports that production of a funded order started."""
    order = await request.app[ORDER_COMMANDS].start_production(
        request.match_info["order_id"],
        principal(request),
    )
    return _view(request, order)


@api.post(
    "/v1/orders/{order_id}/cancel",
    body=CancelOrder,
    response=OrderView,
    roles=PARTIES | {Role.FINANCE},
)
async def cancel_order(request: web.Request, body: CancelOrder) -> OrderView:
    """Cancel before shipment; whatever was paid goes back to the buyer in full."""
    order = await request.app[ORDER_COMMANDS].cancel(
        request.match_info["order_id"],
        principal(request),
        body.reason,
    )
    return _view(request, order)


@api.post("/v1/orders/{order_id}/confirm-receipt", response=OrderView, roles={Role.BUYER})
async def confirm_receipt(request: web.Request) -> OrderView:
    """Confirm receipt: releases escrow to the supplier, less the platform fee."""
    order = await request.app[RELEASE].confirm_receipt(
        request.match_info["order_id"],
        principal(request),
    )
    return _view(request, order)


@api.post(
    "/v1/orders/{order_id}/compensation-claims",
    body=ClaimCompensation,
    response=OrderView,
    status=201,
    roles={Role.BUYER},
)
async def claim_compensation(request: web.Request, body: ClaimCompensation) -> OrderView:
    """Claim buyer credit for a missed dispatch or delivery promise (once per order, in the window)."""
    order = await request.app[COMPENSATION].claim(
        request.match_info["order_id"],
        principal(request),
        body.deadline,
    )
    return _view(request, order)


def _version(request: web.Request) -> int:
    try:
        return int(request.match_info["version"])
    except ValueError:
        raise web.HTTPNotFound() from None
