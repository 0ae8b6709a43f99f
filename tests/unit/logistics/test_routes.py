from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.logistics.domain.errors import (
    RouteCurrencyMismatchError,
    RouteNotFoundError,
    WeightRequiredError,
)
from services.logistics.domain.routes import landed_price, select_route
from shared.money import Money

from .builders import a_route, usd


def test_landed_price_adds_unit_shipping_for_the_quantity() -> None:
    # given a route at 2.50 USD per unit
    route = a_route(price_per_unit=usd("2.50"))
    # when 100 units at 12.00 are quoted
    price = landed_price(route, usd("12.00"), quantity=100)
    # then goods, shipping and total are exact in cents
    assert price.goods == usd("1200.00")
    assert price.shipping == usd("250.00")
    assert price.total == usd("1450.00")
    assert price.route_id == route.route_id


def test_weight_shipping_is_rounded_half_up_to_the_minor_unit() -> None:
    # given a route at 4.50 USD per kg only
    route = a_route(price_per_unit=None, price_per_kg=usd("4.50"))
    # when shipping 1.234 kg (5.553) and 1.235 kg (5.5575)
    light = landed_price(route, usd("1.00"), quantity=1, weight_grams=1234)
    heavy = landed_price(route, usd("1.00"), quantity=1, weight_grams=1235)
    # then the fractions of a cent round half-up
    assert light.shipping == usd("5.55")
    assert heavy.shipping == usd("5.56")


def test_unit_and_weight_prices_add_up() -> None:
    route = a_route(price_per_unit=usd("1.00"), price_per_kg=usd("2.00"))
    price = landed_price(route, usd("10.00"), quantity=10, weight_grams=5000)
    assert price.shipping == usd("20.00")


def test_route_priced_by_weight_needs_the_weight() -> None:
    route = a_route(price_per_unit=None, price_per_kg=usd("4.50"))
    with pytest.raises(WeightRequiredError):
        landed_price(route, usd("1.00"), quantity=1)


def test_goods_and_route_must_share_a_currency() -> None:
    with pytest.raises(RouteCurrencyMismatchError):
        landed_price(a_route(), Money.from_major("9.00", "EUR"), quantity=1)


def test_route_needs_a_price() -> None:
    with pytest.raises(ValidationError, match="price per unit, per kg"):
        a_route(price_per_unit=None, price_per_kg=None)


def test_route_prices_share_one_currency() -> None:
    with pytest.raises(ValidationError, match="one currency"):
        a_route(price_per_unit=usd("1.00"), price_per_kg=Money.from_major("1.00", "EUR"))


def test_route_destination_time_zone_must_exist() -> None:
    with pytest.raises(ValidationError, match="unknown time zone"):
        a_route(destination_timezone="Mars/Olympus_Mons")


def test_select_route_picks_the_fastest_route_on_the_lane() -> None:
    # given two services on CN→US and one on CN→DE
    slow = a_route(route_id="cn-us-sea", transit_days=30)
    fast = a_route(route_id="cn-us-air", transit_days=5)
    other = a_route(route_id="cn-de", destination_country="DE", destination_timezone="Europe/Berlin")
    # then the fastest CN→US route is chosen
    assert select_route([slow, other, fast], "CN", "US") == fast


def test_guaranteed_orders_only_travel_on_known_routes() -> None:
    with pytest.raises(RouteNotFoundError):
        select_route([a_route()], "CN", "BR")


def test_a_route_stored_before_zones_were_checked_still_reads() -> None:
    # Opening a route checks its zone is the destination's (`destination_zone`); reading one does not
    assert a_route(destination_timezone="Europe/Berlin").destination_timezone == "Europe/Berlin"
