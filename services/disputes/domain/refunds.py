"""How much money a requested outcome or an offer means for an order: one rule for claims, offers, accepts."""

from __future__ import annotations

from services.disputes.domain.errors import InvalidAmountError, RefundExceedsRefundableError
from services.disputes.domain.orders import OrderView
from shared.contracts.disputes import RequestedOutcome, SettlementKind
from shared.money import Money

_WITHOUT_REFUND = frozenset({RequestedOutcome.REPLACEMENT, RequestedOutcome.AFTER_SALES_SERVICE})


def refund_for(outcome: RequestedOutcome, amount: Money | None, order: OrderView) -> Money:
    """The refund an outcome stands for: all that is refundable for a full refund, `amount` when partial."""
    refundable = order.refundable
    if amount is not None and amount.currency != refundable.currency:
        raise InvalidAmountError(f"amount is in {amount.currency}, the order in {refundable.currency}")
    if outcome in _WITHOUT_REFUND:
        if amount is not None and amount.amount != 0:
            raise InvalidAmountError(f"a {outcome.value} carries no refund amount")
        return Money.zero(refundable.currency)
    if outcome is RequestedOutcome.FULL_REFUND:
        if amount is not None and amount != refundable:
            raise InvalidAmountError(f"a full refund is {refundable.format()}, not {amount.format()}")
        amount = refundable
    if amount is None:
        raise InvalidAmountError(f"a {outcome.value} needs an amount")
    return checked_refund(amount, order)


def checked_refund(amount: Money, order: OrderView, field: str = "refund") -> Money:
    """A positive refund in the order's currency, no more than was paid minus what was already refunded."""
    if amount.currency != order.refundable.currency:
        raise InvalidAmountError(
            f"{field} is in {amount.currency}, the order in {order.refundable.currency}", field
        )
    if amount.amount <= 0:
        raise InvalidAmountError(f"a refund must be positive (nothing left to refund on {order.order_id}?)")
    if order.refundable < amount:
        raise RefundExceedsRefundableError(
            f"refund {amount.format()} exceeds the {order.refundable.format()} still refundable"
        )
    return amount


def settlement_kind(outcome: RequestedOutcome, refund: Money, order: OrderView) -> SettlementKind:
    """A return-and-refund for everything still refundable is a full refund; for less, a partial one."""
    if outcome is RequestedOutcome.REPLACEMENT:
        return SettlementKind.REPLACEMENT
    if outcome is RequestedOutcome.AFTER_SALES_SERVICE:
        return SettlementKind.AFTER_SALES_SERVICE
    return SettlementKind.FULL_REFUND if refund == order.refundable else SettlementKind.PARTIAL_REFUND
