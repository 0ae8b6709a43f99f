"""Releasing escrow to the supplier: on the buyer's confirmation of receipt, or automatically."""

from __future__ import annotations

from datetime import datetime

from shared.contracts.escrow import FundsReleased, OrderStatus, ReceiptConfirmation, ReceiptConfirmed
from shared.money import Money

from .errors import AutoConfirmNotDueError, NotOrderBuyerError, TransitionNotAllowedError
from .journal_entries import release_entry, split_release
from .order import Order, OrderChange, ReleaseRecord, parties
from .policy import EscrowPolicy

_AWAITING_CONFIRMATION = frozenset({OrderStatus.DELIVERED, OrderStatus.PARTIALLY_REFUNDED})


def confirm_receipt(
    order: Order, *, buyer_id: str, now: datetime, policy: EscrowPolicy, owed_by_supplier: Money
) -> OrderChange:
    """The buyer confirms receipt: the order completes and escrow is released in one entry.

    `owed_by_supplier` is the supplier's open receivable, recovered from this payout.
    """
    if buyer_id != order.buyer_id:
        raise NotOrderBuyerError(f"only the buyer of order {order.order_id} may confirm receipt")
    if order.completed_at is not None:
        return OrderChange.unchanged(order)
    if order.shipped_at is None:
        raise TransitionNotAllowedError(f"order {order.order_id} has not been shipped")
    return _release(order, now, policy, owed_by_supplier, ReceiptConfirmation.BUYER)


def auto_confirm_due_at(order: Order, policy: EscrowPolicy) -> datetime | None:
    """When the timer releases a delivered order; None while frozen, undelivered or holding nothing."""
    if order.status not in _AWAITING_CONFIRMATION or order.delivered_at is None or order.held.amount == 0:
        return None
    return order.delivered_at + policy.auto_confirm_after


def auto_confirm(
    order: Order, *, now: datetime, policy: EscrowPolicy, owed_by_supplier: Money
) -> OrderChange:
    """The auto-confirm timer fired; if the buyer confirmed first, the release already happened once."""
    if order.completed_at is not None:
        return OrderChange.unchanged(order)
    due_at = auto_confirm_due_at(order, policy)
    if due_at is None or now < due_at:
        raise AutoConfirmNotDueError(
            f"order {order.order_id} is not due for auto-confirmation (due {due_at})"
        )
    return _release(order, now, policy, owed_by_supplier, ReceiptConfirmation.AUTOMATIC)


def _release(
    order: Order, now: datetime, policy: EscrowPolicy, owed_by_supplier: Money, by: ReceiptConfirmation
) -> OrderChange:
    split = split_release(order.held, policy.platform_fee_bps, owed_by_supplier)
    record = ReleaseRecord(
        amount=split.gross,
        platform_fee=split.platform_fee,
        recovered_receivable=split.recovered_receivable,
        confirmed_by=by,
        released_at=now,
    )
    new = order.moved_to(
        OrderStatus.COMPLETED, completed_at=now, delivered_at=order.delivered_at or now, release=record
    )
    terms = new.contract.terms
    confirmed = ReceiptConfirmed(
        **parties(new),
        confirmed_by=by,
        product_id=terms.product_id,
        quantity=terms.quantity,
        confirmed_at=now,
    )
    released = FundsReleased(
        **parties(new),
        released=split.gross,
        platform_fee=split.platform_fee,
        recovered_receivable=split.recovered_receivable,
        supplier_payout=split.supplier_payout,
        released_at=now,
    )
    entry = release_entry(order_id=new.order_id, supplier_id=new.supplier_id, split=split, booked_at=now)
    return OrderChange(order=new, events=(confirmed, released), entries=(entry,))
