"""Too-good-to-be-true prices and risky suppliers are flagged, each with its reason."""

from __future__ import annotations

import pytest

from services.catalog.domain.metrics import OrderFact, SupplierMetrics
from services.catalog.domain.policy import RedFlagPolicy
from services.catalog.domain.red_flags import (
    Comparables,
    listing_signals,
    price_outlier,
    quantity_band,
    supplier_signals,
)
from shared.contracts.catalog import BadgeSet, RiskCode
from shared.money import Money
from tests.unit.catalog.builders import DAY, NOW, supplier, usd

POLICY = RedFlagPolicy()
# Ten listings around 10.00 USD: median 1000, MAD 20 → MAD floor 940, half-median floor 500.
TEN = tuple(usd(amount) for amount in (960, 970, 980, 990, 1000, 1000, 1010, 1020, 1030, 1040))
VERIFIED = BadgeSet(verified=True)


def no_metrics(**counts: int) -> SupplierMetrics:
    orders = counts.pop("orders", 0)
    return SupplierMetrics(
        supplier_id="sup-1", orders=orders, counts={OrderFact(k): v for k, v in counts.items()}
    )


def test_a_price_below_median_minus_three_mad_is_flagged() -> None:
    # given ten comparables with median 10.00 and MAD 0.20
    # when a listing asks 9.39
    signal = price_outlier(usd(939), Comparables(category=TEN), POLICY)
    # then it is flagged with the reason
    assert signal is not None
    assert signal.code is RiskCode.PRICE_OUTLIER
    assert "MAD" in signal.reason
    assert "10 category listings" in signal.reason


def test_a_price_at_the_mad_floor_is_not_flagged() -> None:
    assert price_outlier(usd(940), Comparables(category=TEN), POLICY) is None


def test_a_price_below_half_the_median_is_flagged_even_with_a_wide_spread() -> None:
    # given comparables so spread out that the MAD floor is negative
    wide = tuple(usd(amount) for amount in (100, 300, 500, 800, 1000, 1000, 1500, 2000, 3000, 5000))
    # when a listing asks less than half the median (1000)
    signal = price_outlier(usd(499), Comparables(category=wide), POLICY)
    # then the share rule flags it
    assert signal is not None
    assert "50% of median" in signal.reason
    assert price_outlier(usd(500), Comparables(category=wide), POLICY) is None


def test_fewer_than_ten_comparables_fall_back_to_the_parent_category() -> None:
    # given nine same-category listings and ten in the parent category
    comparables = Comparables(category=TEN[:9], parent_category=TEN)
    signal = price_outlier(usd(900), comparables, POLICY)
    assert signal is not None
    assert "parent-category" in signal.reason


def test_no_flag_without_enough_comparables_anywhere() -> None:
    assert price_outlier(usd(1), Comparables(category=TEN[:9], parent_category=TEN[:9]), POLICY) is None


def test_comparables_in_another_currency_do_not_count() -> None:
    euros = tuple(Money(amount=price.amount, currency="EUR") for price in TEN)
    assert price_outlier(usd(1), Comparables(category=euros), POLICY) is None


def test_identical_comparables_flag_only_below_half_the_median() -> None:
    same = (usd(1000),) * 10
    assert price_outlier(usd(999), Comparables(category=same), POLICY) is None
    assert price_outlier(usd(499), Comparables(category=same), POLICY) is not None


def test_quantity_bands_group_comparable_listings() -> None:
    assert [quantity_band(q, POLICY) for q in (1, 99, 100, 999, 1000, 50_000)] == [
        1,
        1,
        100,
        100,
        1000,
        10_000,
    ]


def test_a_new_supplier_without_completed_orders_is_flagged() -> None:
    # given a verified supplier registered 100 days ago with no completed order
    young = supplier(registered_at=NOW - 100 * DAY, badges=VERIFIED)
    codes = [s.code for s in supplier_signals(young, no_metrics(), POLICY, NOW)]
    assert codes == [RiskCode.NEW_AND_UNVERIFIED_SUPPLIER]
    # when it completes one order, then the flag is gone
    assert supplier_signals(young, no_metrics(orders=1, completed=1), POLICY, NOW) == []


def test_a_supplier_older_than_a_year_is_not_new() -> None:
    older = supplier(registered_at=NOW - 366 * DAY, badges=VERIFIED)
    assert supplier_signals(older, no_metrics(), POLICY, NOW) == []


def test_a_supplier_without_audit_or_gold_is_flagged_unverified() -> None:
    codes = [s.code for s in supplier_signals(supplier(), no_metrics(), POLICY, NOW)]
    assert codes == [RiskCode.NO_VERIFICATION]
    assert supplier_signals(supplier(badges=BadgeSet(gold=True)), no_metrics(), POLICY, NOW) == []


def test_a_dispute_rate_above_the_threshold_is_flagged() -> None:
    # given 2 disputes in 10 orders (20% > 10%)
    metrics = no_metrics(orders=10, disputed=2)
    (signal,) = supplier_signals(supplier(badges=VERIFIED), metrics, POLICY, NOW)
    assert signal.code is RiskCode.HIGH_DISPUTE_RATE
    assert "2 of 10 orders" in signal.reason


def test_a_dispute_rate_at_the_threshold_is_not_flagged() -> None:
    assert supplier_signals(supplier(badges=VERIFIED), no_metrics(orders=10, disputed=1), POLICY, NOW) == []


def test_too_few_orders_never_make_a_high_dispute_rate() -> None:
    assert supplier_signals(supplier(badges=VERIFIED), no_metrics(orders=9, disputed=9), POLICY, NOW) == []


def test_listing_signals_show_the_price_then_the_supplier() -> None:
    signals = listing_signals(usd(100), Comparables(category=TEN), supplier(), no_metrics(), POLICY, NOW)
    assert [s.code for s in signals] == [RiskCode.PRICE_OUTLIER, RiskCode.NO_VERIFICATION]


def test_a_quantity_below_the_first_band_falls_in_the_first_band() -> None:
    assert quantity_band(5, RedFlagPolicy(quantity_bands=(10, 100))) == 10


# Around 1 000.00 USD the half-median floor is 50 000 cents: large enough for the share to tell one cent.
WIDE_DEAR = tuple(usd(amount * 100) for amount in (100, 300, 500, 800, 1000, 1000, 1500, 2000, 3000, 5000))


@pytest.mark.parametrize(("price", "flagged"), [(49_999, True), (50_000, False)])
def test_half_the_median_is_the_floor_to_the_cent(price: int, flagged: bool) -> None:
    signal = price_outlier(usd(price), Comparables(category=WIDE_DEAR), POLICY)
    assert (signal is not None) is flagged


def test_a_signal_tells_the_buyer_why_in_figures() -> None:
    # the reason is shown beside the listing and travels with the quote: it carries the figures judged
    outlier = price_outlier(usd(939), Comparables(category=TEN), POLICY)
    assert outlier is not None
    assert outlier.reason == "9.39 USD is below median 10.00 USD − 3·MAD (0.20 USD) of 10 category listings"
    (unverified,) = supplier_signals(supplier(registered_at=NOW - 400 * DAY), no_metrics(), POLICY, NOW)
    assert unverified.reason == "no valid audit or Gold membership"
