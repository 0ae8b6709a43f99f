"""Guaranteed routes (ops-managed lanes) and the landed-price quotes computed from them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.money import Money, computing

from .errors import RouteCurrencyMismatchError, RouteNotFoundError, WeightRequiredError

CountryCode = Annotated[str, Field(max_length=2, pattern=r"^[A-Z]{2}$", examples=["US"])]


class GuaranteedRoute(BaseModel):
    """A lane with a fixed carrier service, transit time and price; only these carry Guaranteed orders."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    route_id: str = Field(min_length=1)
    origin_country: CountryCode
    destination_country: CountryCode
    carrier_service: str = Field(min_length=1)
    transit_days: int = Field(ge=1)
    destination_timezone: str
    price_per_unit: Money | None = None
    price_per_kg: Money | None = None
    # Ops retire a lane by deactivating it: existing shipments keep their route, new quotes do not.
    active: bool = True

    @field_validator("destination_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        # Whether it is the destination's own is checked where a route is opened (`destination_zone`), so
        # that a route stored before that check stays readable.
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _one_priced_currency(self) -> Self:
        prices = [p for p in (self.price_per_unit, self.price_per_kg) if p is not None]
        if not prices:
            raise ValueError("a route needs a price per unit, per kg, or both")
        if len({p.currency for p in prices}) > 1:
            raise ValueError("unit and weight prices must share one currency")
        if any(p.amount < 0 for p in prices):
            raise ValueError("route prices cannot be negative")
        return self

    @property
    def currency(self) -> str:
        price = self.price_per_unit or self.price_per_kg
        assert price is not None  # guaranteed by _one_priced_currency
        return price.currency


class LandedPrice(BaseModel):
    """Goods plus Guaranteed shipping to the door, in the route's currency."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    route_id: str
    goods: Money
    shipping: Money
    total: Money


def select_route(routes: Iterable[GuaranteedRoute], origin: str, destination: str) -> GuaranteedRoute:
    """The fastest active route on the lane (ties by route id); RouteNotFoundError when there is none."""
    lane = [
        r for r in routes if r.active and r.origin_country == origin and r.destination_country == destination
    ]
    if not lane:
        raise RouteNotFoundError(f"no Guaranteed route from {origin} to {destination}")
    return min(lane, key=lambda r: (r.transit_days, r.route_id))


def shipping_cost(route: GuaranteedRoute, quantity: int, weight_grams: int | None) -> Money:
    """Unit price × quantity plus kg price × weight, the weight part rounded half-up to the minor unit."""
    if quantity < 1:
        raise ValueError("quantity must be at least 1")
    cost = Money.zero(route.currency)
    if route.price_per_unit is not None:
        cost = cost + route.price_per_unit.times(quantity)
    if route.price_per_kg is not None:
        if weight_grams is None or weight_grams <= 0:
            raise WeightRequiredError(f"route {route.route_id} is priced by weight; give the weight in grams")
        # grams / 1000 kg = grams × 10 basis points of the per-kg price.
        cost = cost + route.price_per_kg.fraction_bps(weight_grams * 10)
    return cost


def landed_price(
    route: GuaranteedRoute, unit_price: Money, quantity: int, weight_grams: int | None = None
) -> LandedPrice:
    """Price of `quantity` units delivered on `route`; goods and route must share a currency."""
    if unit_price.currency != route.currency:
        raise RouteCurrencyMismatchError(
            f"goods priced in {unit_price.currency}, route {route.route_id} in {route.currency}"
        )
    with computing("total"):
        goods = unit_price.times(quantity)
        shipping = shipping_cost(route, quantity, weight_grams)
        total = goods + shipping
    return LandedPrice(route_id=route.route_id, goods=goods, shipping=shipping, total=total)
