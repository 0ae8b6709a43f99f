"""Who may see what: an order's or claim's parties and mediators; anyone else gets a 404."""

from __future__ import annotations

from collections.abc import Mapping

from services.disputes.domain.after_sales import AfterSalesRequest
from services.disputes.domain.claim import Claim
from services.disputes.domain.orders import OrderView
from services.disputes.handlers.after_sales import AfterSalesRequests
from services.disputes.handlers.claims import Casework, OrderNotKnownYet
from shared.http.problems import Problem
from shared.security.jwt import Principal
from shared.security.roles import PARTIES, Role

MEDIATOR = Role.MEDIATOR
# The order's parties and the mediators: who may read a claim, a conversation or an after-sales request.
READERS = PARTIES | {MEDIATOR}
# What a route looking an order up in disputes' read model answers beyond the platform's own problems.
ORDER_LOOKUP: tuple[type[Exception], ...] = (OrderNotKnownYet,)
# Where a party's own id is on a claim or an after-sales request: what keeps its lists to its own items.
PARTY_FIELDS: Mapping[str, str] = {Role.BUYER: "buyer_id", Role.SUPPLIER: "supplier_id"}


def is_party(who: Principal, buyer_id: str, supplier_id: str) -> bool:
    return (who.role == Role.BUYER and who.sub == buyer_id) or (
        who.role == Role.SUPPLIER and who.sub == supplier_id
    )


def sees(who: Principal, buyer_id: str, supplier_id: str) -> bool:
    return who.role == MEDIATOR or is_party(who, buyer_id, supplier_id)


async def visible_order(casework: Casework, order_id: str, who: Principal) -> OrderView:
    """The order, if the caller may see it; an order not heard of yet raises `OrderNotKnownYet` (a 409)."""
    order, _ = await casework.order_view(order_id)
    if not sees(who, order.buyer_id, order.supplier_id):
        raise _not_found("order", order_id)
    return order


async def visible_claim(casework: Casework, claim_id: str, who: Principal) -> Claim:
    claim = await casework.claim(claim_id)
    if claim is None or not sees(who, claim.buyer_id, claim.supplier_id):
        raise _not_found("dispute", claim_id)
    return claim


async def visible_after_sales(
    requests: AfterSalesRequests, request_id: str, who: Principal
) -> AfterSalesRequest:
    request = await requests.get(request_id)
    if request is None or not sees(who, request.buyer_id, request.supplier_id):
        raise _not_found("after-sales request", request_id)
    return request


def _not_found(what: str, identifier: str) -> Problem:
    slug = what.replace(" ", "-") + "-not-found"
    return Problem(404, slug, f"{what.capitalize()} not found.", f"no {what} {identifier}")
