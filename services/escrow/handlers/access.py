"""Who may see an order and act on it: its buyer, its supplier, and platform operations (shared guard)."""

from __future__ import annotations

from services.escrow.adapters.orders import OrderNotFound
from services.escrow.domain.errors import NotOrderPartyError
from services.escrow.domain.order import Order
from services.escrow.domain.terms import Party
from shared.security.access import Guard, Parties, Relation
from shared.security.jwt import Principal

# Someone else's order is a 404 (its existence is not revealed); the wrong side of one's own is a 403.
ORDERS = Guard(not_found=OrderNotFound, forbidden=NotOrderPartyError)


def check_visible(order: Order, who: Principal) -> Order:
    ORDERS.visible(who, Parties.of(order), f"order {order.order_id}")
    return order


def require_party(order: Order, who: Principal, *allowed: Party) -> Party:
    """The caller's side of the order; 404 for strangers, 403 for the wrong side (or ops)."""
    wanted = {Relation(party.value) for party in allowed}
    return Party(ORDERS.require(who, Parties.of(order), f"order {order.order_id}", wanted).value)


def may_cancel(order: Order, who: Principal) -> None:
    """Either party, or operations, cancels an order."""
    ORDERS.require(who, Parties.of(order), f"order {order.order_id}", set(Relation))
