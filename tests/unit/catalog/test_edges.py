"""Catalog's numbers of PRODUCT.md §1 pinned at their edges: the boundary itself and one step either side."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.catalog.domain.badges import ProCriterion, assess_verified_pro, experience_threshold
from services.catalog.domain.errors import (
    InvalidFieldError,
    QuantityBelowMoqError,
    ReviewEditLimitReachedError,
    ReviewWindowClosedError,
)
from services.catalog.domain.policy import BadgePolicy, ProductPolicy, RedFlagPolicy, ReviewPolicy
from services.catalog.domain.pricing import resolve_tier
from services.catalog.domain.product import GuaranteedOffer, PriceTier
from services.catalog.domain.product_rules import check_terms
from services.catalog.domain.quote import is_current
from services.catalog.domain.red_flags import Comparables, price_outlier, supplier_signals
from services.catalog.domain.reviews import CompletedOrder, ReviewEdit, ensure_may_review, revise_review
from shared.contracts.catalog import BadgeSet, Rating, ReviewTarget, RiskCode, TargetKind
from shared.money import Money
from tests.unit.catalog.builders import DAY, NOW, product, supplier, terms, usd, verified_pro_supplier
from tests.unit.catalog.test_red_flags import TEN, no_metrics
from tests.unit.catalog.test_reviews import publish
from tests.unit.escrow.test_quote_terms import quote

INSTANT = timedelta(microseconds=1)


@pytest.mark.parametrize(("quantity", "allowed"), [(99, False), (100, True), (101, True)])
def test_the_moq_is_the_least_orderable_quantity_with_order_multiple_one(
    quantity: int, allowed: bool
) -> None:
    single = product(moq=100, order_multiple=1, tiers=(PriceTier(min_qty=100, unit_price=usd(500)),))
    if allowed:
        assert resolve_tier(single, quantity).min_qty == 100
    else:
        with pytest.raises(QuantityBelowMoqError):
            resolve_tier(single, quantity)


@pytest.mark.parametrize(
    ("quantity", "unit_price"), [(490, 500), (500, 450), (510, 450), (1990, 450), (2000, 400), (2010, 400)]
)
def test_a_tier_applies_from_its_min_qty(quantity: int, unit_price: int) -> None:
    assert resolve_tier(product(), quantity).unit_price == usd(unit_price)


GUARANTEED_DISPATCH = [
    (timedelta(hours=72) - INSTANT, False),
    (timedelta(hours=72), True),
    (timedelta(hours=72) + INSTANT, True),
    (timedelta(days=7) - INSTANT, True),
    (timedelta(days=7), True),
    (timedelta(days=7) + INSTANT, False),
]


@pytest.mark.parametrize(("within", "allowed"), GUARANTEED_DISPATCH)
def test_a_guaranteed_dispatch_promise_is_between_72_hours_and_7_days(
    within: timedelta, allowed: bool
) -> None:
    offered = terms(guaranteed=GuaranteedOffer(dispatch_within=within))
    if allowed:
        check_terms(offered, supplier(), ProductPolicy())
    else:
        with pytest.raises(InvalidFieldError):
            check_terms(offered, supplier(), ProductPolicy())


@pytest.mark.parametrize(
    ("after", "allowed"), [(30 * DAY - INSTANT, True), (30 * DAY, True), (30 * DAY + INSTANT, False)]
)
def test_a_review_is_accepted_until_30_days_after_completion(after: timedelta, allowed: bool) -> None:
    order = CompletedOrder(
        order_id="ord-1", buyer_id="buyer-1", supplier_id="sup-1", product_ids=("prod-1",), completed_at=NOW
    )
    target = ReviewTarget(kind=TargetKind.PRODUCT, id="prod-1")
    if allowed:
        ensure_may_review(order, "buyer-1", target, False, ReviewPolicy(), NOW + after)
    else:
        with pytest.raises(ReviewWindowClosedError):
            ensure_may_review(order, "buyer-1", target, False, ReviewPolicy(), NOW + after)


@pytest.mark.parametrize(("edits", "allowed"), [(0, True), (1, False), (2, False)])
def test_a_review_is_editable_once(edits: int, allowed: bool) -> None:
    review = publish().model_copy(update={"edits": edits})
    edit = _edit()
    if allowed:
        revise_review(review, "buyer-1", edit, ReviewPolicy(), NOW + DAY)
    else:
        with pytest.raises(ReviewEditLimitReachedError):
            revise_review(review, "buyer-1", edit, ReviewPolicy(), NOW + DAY)


@pytest.mark.parametrize(("offset", "current"), [(-INSTANT, True), (timedelta(0), False), (INSTANT, False)])
def test_a_quote_locks_its_price_until_it_expires(offset: timedelta, current: bool) -> None:
    locked = quote(expires_at=NOW + timedelta(hours=24))
    assert is_current(locked, NOW + timedelta(hours=24) + offset) is current


@pytest.mark.parametrize(("percentile", "met"), [(79, False), (80, True), (81, True)])
def test_verified_pro_needs_an_export_percentile_of_at_least_80(percentile: int, met: bool) -> None:
    assessed = assess_verified_pro(verified_pro_supplier(export_percentile=percentile), BadgePolicy(), NOW)
    assert (ProCriterion.EXPORT_PERCENTILE in assessed.met) is met


@pytest.mark.parametrize(("offset", "met"), [(-INSTANT, False), (timedelta(0), True), (INSTANT, True)])
def test_verified_pro_experience_counts_from_the_fifth_anniversary(offset: timedelta, met: bool) -> None:
    pro = verified_pro_supplier(experience_since=datetime(2020, 6, 15, 9, 0, tzinfo=NOW.tzinfo))
    threshold = experience_threshold(pro, BadgePolicy())
    assert threshold == datetime(2025, 6, 15, 9, 0, tzinfo=NOW.tzinfo)
    assessed = assess_verified_pro(pro, BadgePolicy(), threshold + offset)
    assert (ProCriterion.EXPERIENCE_YEARS in assessed.met) is met


# TEN's median is 10.00 and its MAD 0.20: the MAD floor is 9.40, the half-median floor 5.00.
WIDE = tuple(usd(amount) for amount in (100, 300, 500, 800, 1000, 1000, 1500, 2000, 3000, 5000))


@pytest.mark.parametrize(
    ("comparables", "price", "flagged"),
    [
        (TEN, 939, True),
        (TEN, 940, False),
        (TEN, 941, False),
        (WIDE, 499, True),
        (WIDE, 500, False),
        (WIDE, 501, False),
    ],
)
def test_a_price_is_flagged_below_median_minus_3_mad_or_half_the_median(
    comparables: tuple[Money, ...], price: int, flagged: bool
) -> None:
    signal = price_outlier(usd(price), Comparables(category=comparables), RedFlagPolicy())
    assert (signal is not None) is flagged


@pytest.mark.parametrize(("count", "scope"), [(9, "parent-category"), (10, "category"), (11, "category")])
def test_ten_comparables_of_the_category_are_enough_to_judge_by_it(count: int, scope: str) -> None:
    same = (TEN * 2)[:count]
    signal = price_outlier(usd(1), Comparables(category=same, parent_category=TEN), RedFlagPolicy())
    assert signal is not None
    assert signal.reason.endswith(f" {scope} listings")


@pytest.mark.parametrize(
    ("age", "flagged"), [(365 * DAY - INSTANT, True), (365 * DAY, False), (365 * DAY + INSTANT, False)]
)
def test_a_supplier_is_new_for_its_first_year(age: timedelta, flagged: bool) -> None:
    young = supplier(registered_at=NOW - age, badges=BadgeSet(verified=True))
    codes = [signal.code for signal in supplier_signals(young, no_metrics(), RedFlagPolicy(), NOW)]
    assert (RiskCode.NEW_AND_UNVERIFIED_SUPPLIER in codes) is flagged


@pytest.mark.parametrize(
    ("orders", "disputed", "flagged"),
    [(100, 9, False), (100, 10, False), (100, 11, True), (9, 9, False), (10, 2, True)],
)
def test_a_dispute_rate_above_10_percent_of_at_least_10_orders_is_flagged(
    orders: int, disputed: int, flagged: bool
) -> None:
    metrics = no_metrics(orders=orders, disputed=disputed)
    codes = [
        s.code
        for s in supplier_signals(supplier(badges=BadgeSet(verified=True)), metrics, RedFlagPolicy(), NOW)
    ]
    assert (RiskCode.HIGH_DISPUTE_RATE in codes) is flagged


def _edit() -> ReviewEdit:
    return ReviewEdit(rating=Rating(stars=4, quality=4, service=4, delivery=4), comment="still good")
