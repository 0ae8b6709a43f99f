"""Quantities respect MOQ and order multiple; the tier with the highest min_qty ≤ quantity applies."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.catalog.domain.errors import InvalidFieldError, QuantityBelowMoqError, QuantityNotMultipleError
from services.catalog.domain.pricing import price_quantity, resolve_tier
from services.catalog.domain.product import GuaranteedOffer, PriceTier
from shared.money import MAX_MINOR_UNITS, AmountOutOfRange, Money
from tests.unit.catalog.builders import product, usd

GUARANTEED = GuaranteedOffer(dispatch_within=timedelta(hours=96))


def test_quantity_below_moq_is_refused() -> None:
    with pytest.raises(QuantityBelowMoqError) as refused:
        resolve_tier(product(), 90)
    assert refused.value.field == "quantity"


def test_quantity_must_be_a_multiple_of_the_order_multiple() -> None:
    with pytest.raises(QuantityNotMultipleError) as refused:
        resolve_tier(product(), 105)
    assert refused.value.field == "quantity"


@pytest.mark.parametrize(
    ("quantity", "unit_price"),
    [(100, 500), (490, 500), (500, 450), (1990, 450), (2000, 400), (50_000, 400)],
)
def test_the_tier_with_the_highest_min_qty_not_above_the_quantity_applies(
    quantity: int, unit_price: int
) -> None:
    assert resolve_tier(product(), quantity).unit_price == usd(unit_price)


def test_quantity_above_a_capped_last_tier_is_refused() -> None:
    capped = product(tiers=(PriceTier(min_qty=100, max_qty=1000, unit_price=usd(500)),))
    with pytest.raises(InvalidFieldError) as refused:
        resolve_tier(capped, 1010)
    assert refused.value.field == "quantity"


def test_goods_total_is_unit_price_times_quantity_in_minor_units() -> None:
    price = price_quantity(product(), 500)
    assert price.goods_total == usd(225_000)
    assert price.total == usd(225_000)
    assert price.shipping is None


def test_guaranteed_offer_adds_the_landed_shipping_price() -> None:
    # given a Guaranteed product and a route shipping price of 120.00 USD
    price = price_quantity(product(guaranteed=GUARANTEED), 100, shipping=usd(12_000))
    # then the total includes shipping
    assert price.goods_total == usd(50_000)
    assert price.total == usd(62_000)


def test_shipping_is_ignored_for_offers_that_are_not_guaranteed() -> None:
    assert price_quantity(product(), 100, shipping=usd(12_000)).total == usd(50_000)


def test_guaranteed_offer_without_a_route_names_the_destination() -> None:
    with pytest.raises(InvalidFieldError) as refused:
        price_quantity(product(guaranteed=GUARANTEED), 100, shipping=None)
    assert refused.value.field == "destination"


def test_shipping_in_another_currency_is_refused() -> None:
    with pytest.raises(InvalidFieldError) as refused:
        price_quantity(product(guaranteed=GUARANTEED), 100, shipping=Money(amount=1, currency="EUR"))
    assert refused.value.field == "shipping_price.currency"


def test_a_quote_whose_total_leaves_the_amount_bound_is_refused_naming_the_total() -> None:
    # Given a price at the platform's bound (a quote of 2**62 units was a 500 once stored)
    dear = product(tiers=(PriceTier(min_qty=100, unit_price=usd(MAX_MINOR_UNITS)),))

    # When a buyer prices a thousand of them, then the total is refused, naming it
    with pytest.raises(AmountOutOfRange) as refused:
        price_quantity(dear, 1_000)
    assert refused.value.field == "total"


def test_a_quantity_up_to_a_capped_last_tier_is_orderable() -> None:
    capped = product(tiers=(PriceTier(min_qty=100, max_qty=1000, unit_price=usd(500)),))
    assert resolve_tier(capped, 1000).max_qty == 1000


def test_a_quantity_below_the_first_tier_is_below_the_moq_even_when_the_tiers_start_above_it() -> None:
    # given a listing whose tiers start above its MOQ (stored before tiers had to start at the MOQ)
    gap = product(moq=100, tiers=(PriceTier(min_qty=200, unit_price=usd(500)),))
    # when a quantity between the two is priced, then it is the MOQ problem, never a bare ValueError
    with pytest.raises(QuantityBelowMoqError) as refused:
        resolve_tier(gap, 150)
    assert refused.value.field == "quantity"


def test_free_landed_shipping_is_accepted_and_negative_shipping_refused() -> None:
    guaranteed = product(guaranteed=GUARANTEED)
    assert price_quantity(guaranteed, 100, shipping=usd(0)).total == usd(50_000)
    with pytest.raises(InvalidFieldError) as refused:
        price_quantity(guaranteed, 100, shipping=usd(-1))
    assert refused.value.field == "shipping_price.amount"
