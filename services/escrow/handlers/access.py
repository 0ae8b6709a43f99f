"""Who may see an order and act on it: its buyer, its supplier, and platform operations."""

from __future__ import annotations

from services.escrow.adapters.orders import OrderNotFound
from services.escrow.domain.errors import NotOrderPartyError
from services.escrow.domain.order import Order
from services.escrow.domain.terms import Party
from shared.security.jwt import Principal
from shared.security.roles import OPS_ROLES, Role


def party_of(order: Order, who: Principal) -> Party | None:
    if who.role == Role.BUYER and who.sub == order.buyer_id:
        return Party.BUYER
    if who.role == Role.SUPPLIER and who.sub == order.supplier_id:
        return Party.SUPPLIER
    return None


def check_visible(order: Order, who: Principal) -> Order:
    """Someone else's order is a 404: its existence is not revealed."""
    if who.role in OPS_ROLES or party_of(order, who) is not None:
        return order
    raise OrderNotFound(f"order {order.order_id} not found")


def require_party(order: Order, who: Principal, *allowed: Party) -> Party:
    """The caller's side of the order; 404 for strangers, 403 for the wrong side (or ops)."""
    check_visible(order, who)
    party = party_of(order, who)
    if party is None or party not in allowed:
        raise NotOrderPartyError(f"only the {' or '.join(p.value for p in allowed)} may do this on the order")
    return party
