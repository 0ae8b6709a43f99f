"""Freezing an order while a claim is open, and resuming it when the claim ends without a refund."""

from __future__ import annotations

from datetime import datetime

from shared.contracts.escrow import OrderFrozen, OrderStatus, OrderUnfrozen

from .errors import ClaimConflictError, ClaimWindowClosedError
from .money_back import money_back_window_ends_at, within_money_back_window
from .order import Order, OrderChange, parties


def freeze_order(order: Order, claim_id: str, now: datetime) -> OrderChange:
    """A claim opened: no release (by buyer or timer) until it ends; remember where to resume."""
    if order.claim_id == claim_id or claim_id in order.resolved_claim_ids:
        return OrderChange.unchanged(order)
    if order.claim_id is not None:
        raise ClaimConflictError(f"order {order.order_id} is already frozen by claim {order.claim_id}")
    if not within_money_back_window(order, now):
        ends_at = money_back_window_ends_at(order)
        raise ClaimWindowClosedError(f"the money-back window of order {order.order_id} ended at {ends_at}")
    new = order.moved_to(OrderStatus.FROZEN, frozen_from=order.status, claim_id=claim_id, claim_opened_at=now)
    event = OrderFrozen(**parties(new), claim_id=claim_id, previous_status=order.status, frozen_at=now)
    return OrderChange(order=new, events=(event,))


def unfreeze_order(order: Order, claim_id: str, now: datetime) -> OrderChange:
    """The claim ended without a refund (withdrawn, or decided for the supplier): resume where it was."""
    if claim_id in order.resolved_claim_ids:
        return OrderChange.unchanged(order)
    if order.claim_id != claim_id or order.frozen_from is None:
        raise ClaimConflictError(f"order {order.order_id} is not frozen by claim {claim_id}")
    new = order.resumed(**closing_claim(order))
    event = OrderUnfrozen(**parties(new), claim_id=claim_id, resumed_status=new.status, unfrozen_at=now)
    return OrderChange(order=new, events=(event,))


def closing_claim(order: Order) -> dict[str, object]:
    """The field changes that end the open claim, whichever way it ends."""
    resolved = (*order.resolved_claim_ids, order.claim_id) if order.claim_id else order.resolved_claim_ids
    return {"claim_id": None, "claim_opened_at": None, "frozen_from": None, "resolved_claim_ids": resolved}
