"""Who may see what: an order's or claim's parties and mediators (shared guard); anyone else gets a 404."""

from __future__ import annotations

from collections.abc import Mapping

from services.disputes.domain.after_sales import AfterSalesRequest
from services.disputes.domain.claim import Claim
from services.disputes.domain.orders import OrderView
from services.disputes.handlers.after_sales import AfterSalesRequestNotFound, AfterSalesRequests
from services.disputes.handlers.claims import Casework, ClaimNotFound, OrderNotFound, OrderNotKnownYet
from shared.security.access import Guard
from shared.security.jwt import Principal
from shared.security.roles import PARTIES, Role

MEDIATOR = Role.MEDIATOR
# The order's parties and the mediators: who may read a claim, a conversation or an after-sales request.
READERS = PARTIES | {MEDIATOR}
# What a route looking an order up in disputes' read model answers beyond the platform's own problems.
ORDER_LOOKUP: tuple[type[Exception], ...] = (OrderNotKnownYet,)
# Where a party's own id is on a claim or an after-sales request: what keeps its lists to its own items.
PARTY_FIELDS: Mapping[str, str] = {Role.BUYER: "buyer_id", Role.SUPPLIER: "supplier_id"}
# Mediators are the one ops desk of disputes: they see every order, claim and request.
DESK = frozenset({MEDIATOR})
ORDERS = Guard(not_found=OrderNotFound, ops=DESK)
CLAIMS = Guard(not_found=ClaimNotFound, ops=DESK)
AFTER_SALES = Guard(not_found=AfterSalesRequestNotFound, ops=DESK)


async def visible_order(casework: Casework, order_id: str, who: Principal) -> OrderView:
    """The order, if the caller may see it; an order not heard of yet raises `OrderNotKnownYet` (a 409)."""
    order, _ = await casework.order_view(order_id)
    return ORDERS.seen(who, order, f"order {order_id}")


async def visible_claim(casework: Casework, claim_id: str, who: Principal) -> Claim:
    return CLAIMS.seen(who, await casework.claim(claim_id), f"dispute {claim_id}")


async def visible_after_sales(
    requests: AfterSalesRequests, request_id: str, who: Principal
) -> AfterSalesRequest:
    return AFTER_SALES.seen(who, await requests.get(request_id), f"after-sales request {request_id}")
