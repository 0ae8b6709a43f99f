"""Who may see what: an order's or claim's parties and mediators; anyone else gets a 404."""

from __future__ import annotations

from services.disputes.domain.after_sales import AfterSalesRequest
from services.disputes.domain.claim import Claim
from services.disputes.domain.orders import OrderView
from services.disputes.handlers.desk import Desk, OrderNotKnownYet
from shared.http.problems import Problem
from shared.security.jwt import Principal
from shared.security.roles import PARTIES, Role

MEDIATOR = Role.OPS_MEDIATOR
# The order's parties and the mediators: who may read a claim, a conversation or an after-sales request.
READERS = PARTIES | {MEDIATOR}


def is_party(who: Principal, buyer_id: str, supplier_id: str) -> bool:
    return (who.role == Role.BUYER and who.sub == buyer_id) or (
        who.role == Role.SUPPLIER and who.sub == supplier_id
    )


def sees(who: Principal, buyer_id: str, supplier_id: str) -> bool:
    return who.role == MEDIATOR or is_party(who, buyer_id, supplier_id)


async def visible_order(desk: Desk, order_id: str, who: Principal) -> OrderView:
    try:
        order, _ = await desk.order_view(order_id)
    except OrderNotKnownYet:
        raise _not_found("order", order_id) from None
    if not sees(who, order.buyer_id, order.supplier_id):
        raise _not_found("order", order_id)
    return order


async def visible_claim(desk: Desk, claim_id: str, who: Principal) -> Claim:
    stored = await desk.claims.get(claim_id)
    if stored is None or not sees(who, stored.claim.buyer_id, stored.claim.supplier_id):
        raise _not_found("dispute", claim_id)
    return stored.claim


async def visible_after_sales(desk: Desk, request_id: str, who: Principal) -> AfterSalesRequest:
    stored = await desk.after_sales.get(request_id)
    if stored is None or not sees(who, stored.request.buyer_id, stored.request.supplier_id):
        raise _not_found("after-sales request", request_id)
    return stored.request


def _not_found(what: str, identifier: str) -> Problem:
    slug = what.replace(" ", "-") + "-not-found"
    return Problem(404, slug, f"{what.capitalize()} not found.", f"no {what} {identifier}")
