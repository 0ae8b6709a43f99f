"""Easy Return eligibility: a pure decision with the reason, checked in a fixed, explainable order."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, model_validator

from shared.clock import UtcDateTime, require_utc
from shared.contracts.logistics import ReturnReason
from shared.money import Money, exponent

from .policy import LogisticsPolicy
from .routes import CountryCode


class EligibilityReason(StrEnum):
    ELIGIBLE = "eligible"
    NOT_IN_PROGRAM = "not_in_easy_return_program"
    ALREADY_RETURNED = "already_returned"
    NOT_DELIVERED = "not_delivered"
    WINDOW_CLOSED = "return_window_closed"
    COUNTRY_NOT_ELIGIBLE = "country_not_eligible"
    CURRENCY_NOT_CONVERTIBLE = "currency_not_convertible"
    VALUE_ABOVE_CAP = "value_above_cap"
    NOT_A_QUALITY_REASON = "not_a_quality_reason"


class ReturnableOrder(BaseModel):
    """The facts of an order that Easy Return is decided on (from escrow's order and the shipment)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: str
    shipment_id: str
    buyer_id: str
    supplier_id: str
    trade_assurance: bool
    easy_return: bool
    product_total: Money
    shipping_total: Money
    shipping_country: CountryCode
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


def to_usd(amount: Money, policy: LogisticsPolicy) -> Money | None:
    """Convert with the policy's rate table, half-up to the cent; None when the currency has no rate."""
    if amount.currency == "USD":
        return amount
    rate = policy.usd_rates.get(amount.currency)
    if rate is None:
        return None
    major = Decimal(amount.amount).scaleb(-exponent(amount.currency))
    cents = (major * rate).scaleb(exponent("USD")).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Money(amount=int(cents), currency="USD")


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
    """Allow a free return only for an enrolled, delivered, in-window, capped, quality-related order."""
    if not (order.trade_assurance and order.easy_return):
        return _deny(EligibilityReason.NOT_IN_PROGRAM)
    if already_returned:
        return _deny(EligibilityReason.ALREADY_RETURNED)
    if order.delivered_at is None:
        return _deny(EligibilityReason.NOT_DELIVERED)
    if require_utc(now) > order.delivered_at + policy.easy_return_window:
        return _deny(EligibilityReason.WINDOW_CLOSED)
    country = policy.country_aliases.get(order.shipping_country, order.shipping_country)
    if country not in policy.easy_return_countries:
        return _deny(EligibilityReason.COUNTRY_NOT_ELIGIBLE)
    value_usd = to_usd(order.value, policy)
    if value_usd is None:
        return _deny(EligibilityReason.CURRENCY_NOT_CONVERTIBLE)
    if policy.easy_return_value_cap < value_usd:
        return _deny(EligibilityReason.VALUE_ABOVE_CAP)
    if reason not in policy.easy_return_quality_reasons:
        return _deny(EligibilityReason.NOT_A_QUALITY_REASON)
    return EasyReturnDecision(allowed=True, reason=EligibilityReason.ELIGIBLE)
