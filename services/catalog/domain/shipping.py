"""Landed shipping of Guaranteed offers, from the catalog's copy of logistics' Guaranteed route table."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from services.catalog.domain.errors import InvalidFieldError
from shared.money import Money


class GuaranteedRoute(BaseModel):
    """One lane as logistics announced it (`logistics.guaranteed_route_upserted`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    route_id: str
    origin: str
    destination: str
    carrier_service: str
    transit_days: int = Field(ge=1)
    price_per_unit: Money | None = None
    price_per_kg: Money | None = None
    destination_timezone: str
    active: bool = True

    @property
    def currency(self) -> str | None:
        price = self.price_per_unit or self.price_per_kg
        return price.currency if price else None


class LandedShipping(BaseModel):
    """The shipping part of a Guaranteed quote and the lane that carries it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    route_id: str
    transit_days: int
    destination_timezone: str
    price: Money


def landed_shipping(
    routes: Iterable[GuaranteedRoute], currency: str, quantity: int, unit_weight_grams: int | None
) -> LandedShipping:
    """The fastest active lane priced in the goods' currency (ties by route id), and its price."""
    usable = [route for route in routes if route.active and route.currency == currency]
    if not usable:
        raise InvalidFieldError(
            "destination", f"no Guaranteed route to this destination priced in {currency}"
        )
    route = min(usable, key=lambda r: (r.transit_days, r.route_id))
    return LandedShipping(
        route_id=route.route_id,
        transit_days=route.transit_days,
        destination_timezone=route.destination_timezone,
        price=shipping_price(route, currency, quantity, unit_weight_grams),
    )


def shipping_price(
    route: GuaranteedRoute, currency: str, quantity: int, unit_weight_grams: int | None
) -> Money:
    """Unit price × quantity plus the kg price × total weight (rounded half-up to the minor unit)."""
    price = Money.zero(currency)
    if route.price_per_unit is not None:
        price = price + route.price_per_unit.times(quantity)
    if route.price_per_kg is not None:
        if unit_weight_grams is None:
            raise InvalidFieldError(
                "product.unit_weight_grams", f"route {route.route_id} is priced by weight"
            )
        # grams / 1000 = kg, i.e. 10 basis points of the kg price per gram.
        price = price + route.price_per_kg.fraction_bps(unit_weight_grams * quantity * 10)
    return price
