"""Easy Return at return time: a pure decision with the reason, checked in a fixed, explainable order.

Whether the order is in the programme, its cap and its window were decided once, at the quote, and reach
logistics as the contract's frozen terms (`OrderFunded.protection.easy_return`): nothing is converted or
looked up again here, so a return is judged on exactly what the buyer was promised.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, model_validator

from shared.clock import UtcDateTime, require_utc
from shared.contracts.catalog import EasyReturnTerms
from shared.contracts.logistics import ReturnReason
from shared.money import Money

from .policy import LogisticsPolicy


class EligibilityReason(StrEnum):
    ELIGIBLE = "eligible"
    NOT_IN_PROGRAM = "not_in_easy_return_program"
    ALREADY_RETURNED = "already_returned"
    NOT_DELIVERED = "not_delivered"
    WINDOW_CLOSED = "return_window_closed"
    VALUE_ABOVE_CAP = "value_above_cap"
    NOT_A_QUALITY_REASON = "not_a_quality_reason"


class ReturnableOrder(BaseModel):
    """The facts of an order that Easy Return is decided on (from escrow's order and the shipment)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: str
    shipment_id: str
    buyer_id: str
    supplier_id: str
    easy_return: EasyReturnTerms
    product_total: Money
    shipping_total: Money
    delivered_at: UtcDateTime | None

    @model_validator(mode="after")
    def _one_currency(self) -> Self:
        if self.product_total.currency != self.shipping_total.currency:
            raise ValueError("product and shipping totals must share one currency")
        return self

    @property
    def value(self) -> Money:
        return self.product_total + self.shipping_total


class EasyReturnDecision(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    allowed: bool
    reason: EligibilityReason


def _deny(reason: EligibilityReason) -> EasyReturnDecision:
    return EasyReturnDecision(allowed=False, reason=reason)


def easy_return_eligibility(
    order: ReturnableOrder,
    reason: ReturnReason,
    *,
    already_returned: bool,
    now: datetime,
    policy: LogisticsPolicy,
) -> EasyReturnDecision:
    """Allow a free return only for an order the quote promised it to, delivered, in its window, within its
    cap (in the order's currency: an amendment may have raised the value), for a quality reason."""
    terms = order.easy_return
    if not terms.eligible:
        return _deny(EligibilityReason.NOT_IN_PROGRAM)
    if already_returned:
        return _deny(EligibilityReason.ALREADY_RETURNED)
    if order.delivered_at is None:
        return _deny(EligibilityReason.NOT_DELIVERED)
    if require_utc(now) > order.delivered_at + timedelta(days=terms.window_days):
        return _deny(EligibilityReason.WINDOW_CLOSED)
    if terms.value_cap < order.value:
        return _deny(EligibilityReason.VALUE_ABOVE_CAP)
    if reason not in policy.easy_return_quality_reasons:
        return _deny(EligibilityReason.NOT_A_QUALITY_REASON)
    return EasyReturnDecision(allowed=True, reason=EligibilityReason.ELIGIBLE)
