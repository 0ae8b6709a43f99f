"""Freezing an order while any claim is open, and resuming it when the last one ends without a refund."""

from __future__ import annotations

from datetime import datetime

from shared.contracts.escrow import OrderFrozen, OrderStatus, OrderUnfrozen

from .errors import ClaimConflictError, ClaimWindowClosedError
from .money_back import money_back_window_ends_at, within_money_back_window
from .order import OpenClaim, Order, OrderChange, parties


def freeze_order(order: Order, claim_id: str, now: datetime) -> OrderChange:
    """A claim opened: no release (by buyer or timer) until every open claim ends; remember where to resume.

    Claims of one order are independent: a second one joins the open set of an order already frozen."""
    if order.open_claim(claim_id) is not None or claim_id in order.resolved_claim_ids:
        return OrderChange.unchanged(order)
    if not within_money_back_window(order, now):
        ends_at = money_back_window_ends_at(order)
        raise ClaimWindowClosedError(f"the money-back window of order {order.order_id} ended at {ends_at}")
    opened = (*order.open_claims, OpenClaim(claim_id=claim_id, opened_at=now))
    if order.status is OrderStatus.FROZEN:
        new = order.updated(open_claims=opened)
    else:
        new = order.moved_to(OrderStatus.FROZEN, frozen_from=order.status, open_claims=opened)
    previous = new.frozen_from or order.status
    event = OrderFrozen(**parties(new), claim_id=claim_id, previous_status=previous, frozen_at=now)
    return OrderChange(order=new, events=(event,))


def unfreeze_order(order: Order, claim_id: str, now: datetime) -> OrderChange:
    """A claim ended without a refund (withdrawn, or decided for the supplier): the order resumes where it
    was once no other claim is open."""
    if claim_id in order.resolved_claim_ids:
        return OrderChange.unchanged(order)
    if order.open_claim(claim_id) is None or order.frozen_from is None:
        raise ClaimConflictError(f"order {order.order_id} is not frozen by claim {claim_id}")
    remaining = still_open(order, claim_id)
    resolved = (*order.resolved_claim_ids, claim_id)
    if remaining:
        return OrderChange(order=order.updated(open_claims=remaining, resolved_claim_ids=resolved))
    new = order.resumed(open_claims=(), frozen_from=None, resolved_claim_ids=resolved)
    event = OrderUnfrozen(**parties(new), claim_id=claim_id, resumed_status=new.status, unfrozen_at=now)
    return OrderChange(order=new, events=(event,))


def still_open(order: Order, claim_id: str) -> tuple[OpenClaim, ...]:
    """The claims that stay open once `claim_id` has ended."""
    return tuple(claim for claim in order.open_claims if claim.claim_id != claim_id)
