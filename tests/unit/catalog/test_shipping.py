"""Guaranteed shipping comes from the fastest active lane priced in the goods' currency."""

from __future__ import annotations

from typing import Any

import pytest

from services.catalog.domain.errors import InvalidFieldError
from services.catalog.domain.shipping import GuaranteedRoute, landed_shipping
from tests.unit.catalog.builders import usd


def route(route_id: str, transit_days: int, **prices: Any) -> GuaranteedRoute:
    return GuaranteedRoute(
        route_id=route_id,
        origin="CN",
        destination="DE",
        carrier_service="rail",
        transit_days=transit_days,
        destination_timezone="Europe/Berlin",
        **prices,
    )


def test_the_fastest_active_lane_in_the_currency_prices_the_shipping() -> None:
    lanes = [
        route("r-slow", 12, price_per_unit=usd(30)),
        route("r-closed", 5, price_per_unit=usd(10), active=False),
        route("r-fast", 8, price_per_unit=usd(45)),
    ]
    landed = landed_shipping(lanes, "USD", 100, None)
    assert (landed.route_id, landed.transit_days, landed.price) == ("r-fast", 8, usd(4_500))
    assert landed.destination_timezone == "Europe/Berlin"


def test_weight_priced_lanes_charge_per_kg_rounded_to_the_cent() -> None:
    landed = landed_shipping([route("r-kg", 9, price_per_kg=usd(250))], "USD", 3, 333)
    assert landed.price == usd(250)  # 0.999 kg × 2.50 USD = 2.4975 → 2.50


def test_no_lane_or_no_weight_names_the_field() -> None:
    with pytest.raises(InvalidFieldError) as missing:
        landed_shipping(
            [route("r-eur", 9, price_per_unit=usd(1).model_copy(update={"currency": "EUR"}))], "USD", 1, None
        )
    assert missing.value.field == "destination"
    with pytest.raises(InvalidFieldError) as weightless:
        landed_shipping([route("r-kg", 9, price_per_kg=usd(250))], "USD", 1, None)
    assert weightless.value.field == "product.unit_weight_grams"
