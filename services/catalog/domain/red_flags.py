"""Red flags ("too good to be true"): price outliers and supplier risk signals, each with its reason."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from statistics import median

from pydantic import BaseModel, ConfigDict

from services.catalog.domain.metrics import OrderFact, SupplierMetrics
from services.catalog.domain.policy import RedFlagPolicy
from services.catalog.domain.supplier import Supplier
from shared.contracts.catalog import RiskCode, RiskSignal
from shared.money import Money


class Comparables(BaseModel):
    """Unit prices of other listings in the same quantity band: same category, and its parent category."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: tuple[Money, ...] = ()
    parent_category: tuple[Money, ...] = ()


def quantity_band(quantity: int, policy: RedFlagPolicy) -> int:
    """Lower bound of the band a quantity falls in; listings are compared within one band."""
    return max((band for band in policy.quantity_bands if band <= quantity), default=policy.quantity_bands[0])


def price_outlier(unit_price: Money, comparables: Comparables, policy: RedFlagPolicy) -> RiskSignal | None:
    """Flag a unit price below median − k·MAD or below a fraction of the median of its comparables."""
    scope, prices = _comparable_prices(unit_price.currency, comparables, policy.min_comparables)
    if not prices:
        return None
    mid = Fraction(median(prices))
    mad = Fraction(median([abs(price - mid) for price in prices]))
    floor_mad = mid - policy.mad_multiplier * mad
    floor_share = mid * Fraction(policy.below_median_fraction_bps, 10_000)
    shown_median, shown_mad = (
        Money(amount=round(x), currency=unit_price.currency).format() for x in (mid, mad)
    )
    # A zero MAD (identical comparables) would flag every cheaper listing; only the share rule applies then.
    if mad and unit_price.amount < floor_mad:
        k = policy.mad_multiplier
        reason = f"{unit_price.format()} is below median {shown_median} − {k}·MAD ({shown_mad})"
    elif unit_price.amount < floor_share:
        share = policy.below_median_fraction_bps / 100
        reason = f"{unit_price.format()} is below {share:g}% of median {shown_median}"
    else:
        return None
    return RiskSignal(code=RiskCode.PRICE_OUTLIER, reason=f"{reason} of {len(prices)} {scope} listings")


def _comparable_prices(currency: str, comparables: Comparables, minimum: int) -> tuple[str, list[Fraction]]:
    """Same-category prices, else the parent category's; none when neither has enough to judge."""
    for scope, listed in (
        ("category", comparables.category),
        ("parent-category", comparables.parent_category),
    ):
        prices = [Fraction(price.amount) for price in listed if price.currency == currency]
        if len(prices) >= minimum:
            return scope, prices
    return "", []


def supplier_signals(
    supplier: Supplier, metrics: SupplierMetrics, policy: RedFlagPolicy, now: datetime
) -> list[RiskSignal]:
    """Signals about who sells; `supplier.badges` is kept current by the badge timer."""
    signals: list[RiskSignal] = []
    if not (supplier.badges.verified or supplier.badges.gold):
        signals.append(RiskSignal(code=RiskCode.NO_VERIFICATION, reason="no valid audit or Gold membership"))
    if now - supplier.registered_at < policy.new_supplier_age and metrics.completed_orders == 0:
        reason = f"registered under {policy.new_supplier_age.days} days ago with no completed orders"
        signals.append(RiskSignal(code=RiskCode.NEW_AND_UNVERIFIED_SUPPLIER, reason=reason))
    if _high_dispute_rate(metrics, policy):
        reason = (
            f"disputes on {metrics.count(OrderFact.DISPUTED)} of {metrics.orders} orders "
            f"(above {policy.high_dispute_rate_bps / 100:g}%)"
        )
        signals.append(RiskSignal(code=RiskCode.HIGH_DISPUTE_RATE, reason=reason))
    return signals


def _high_dispute_rate(metrics: SupplierMetrics, policy: RedFlagPolicy) -> bool:
    if metrics.orders < policy.dispute_rate_min_orders:
        return False
    return metrics.count(OrderFact.DISPUTED) * 10_000 > policy.high_dispute_rate_bps * metrics.orders


def listing_signals(
    unit_price: Money,
    comparables: Comparables,
    supplier: Supplier,
    metrics: SupplierMetrics,
    policy: RedFlagPolicy,
    now: datetime,
) -> tuple[RiskSignal, ...]:
    """Everything shown on a product or a quote: its price, then its supplier."""
    outlier = price_outlier(unit_price, comparables, policy)
    return (*([outlier] if outlier else []), *supplier_signals(supplier, metrics, policy, now))
