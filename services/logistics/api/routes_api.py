"""Guaranteed routes: ops manage the table, everyone reads it, catalog asks for landed prices."""

from __future__ import annotations

from collections.abc import Collection

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.http.problems import validation_problem
from shared.http.routes import Api
from shared.money import MAX_MINOR_UNITS, MAX_QUANTITY, CurrencyCode, Money
from shared.security.roles import Role
from shared.text import PlainText
from shared.time_zones import destination_zone

from ..domain.routes import CountryCode, GuaranteedRoute, landed_price, select_route, shipping_cost
from ..handlers.routes import put_route
from .access import ANY_ROLE
from .deps import LOGISTICS
from .views import LandedPriceView, RouteList, RouteView

# Who may change the table unless configured otherwise (LOGISTICS_ROUTE_MANAGER_ROLES): see `managed_by`.
DEFAULT_ROUTE_MANAGERS = frozenset({Role.VERIFICATION})


# A year in transit is no guarantee; ten thousand tonnes is beyond any one shipment.
MAX_TRANSIT_DAYS = 365
MAX_WEIGHT_GRAMS = 10**10


class RouteTerms(BaseModel):
    model_config = ConfigDict(extra="forbid")

    origin_country: CountryCode
    destination_country: CountryCode
    carrier_service: PlainText = Field(min_length=1, max_length=100)
    transit_days: int = Field(ge=1, le=MAX_TRANSIT_DAYS)
    destination_timezone: PlainText | None = Field(
        default=None,
        max_length=64,
        examples=["America/Los_Angeles"],
        description="The zone the lane serves; required where the destination keeps several clocks, "
        "else the country's own.",
    )
    price_per_unit: Money | None = None
    price_per_kg: Money | None = None
    active: bool = True


class NewRoute(RouteTerms):
    route_id: str = Field(
        min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$", examples=["cn-us-express"]
    )


class LandedPriceQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    origin: CountryCode
    destination: CountryCode
    quantity: int = Field(ge=1, le=MAX_QUANTITY)
    weight_grams: int | None = Field(
        default=None, ge=1, le=MAX_WEIGHT_GRAMS, description="Needed on routes priced by weight."
    )
    unit_price: int | None = Field(
        default=None, ge=0, le=MAX_MINOR_UNITS, description="Goods unit price in minor units."
    )
    currency: CurrencyCode | None = Field(
        default=None, description="Currency of unit_price; the route's by default."
    )


def _route(route_id: str, terms: RouteTerms) -> GuaranteedRoute:
    zone = destination_zone(terms.destination_country, terms.destination_timezone)
    try:
        return GuaranteedRoute(
            route_id=route_id, **terms.model_dump(exclude={"route_id"}) | {"destination_timezone": zone}
        )
    except ValidationError as error:
        raise validation_problem(error) from None


api = Api("routes", requires=(LOGISTICS,))


@api.get("/v1/routes", response=RouteList, roles=ANY_ROLE)
async def list_routes(request: web.Request) -> RouteList:
    """Every Guaranteed route, active or retired."""
    return RouteList(routes=[RouteView.of(route) for route in await request.app[LOGISTICS].routes.all()])


@api.post("/v1/routes", body=NewRoute, response=RouteView, status=201, roles=DEFAULT_ROUTE_MANAGERS)
async def create_route(request: web.Request, body: NewRoute) -> RouteView:
    """Open a Guaranteed route (ops); announced as `logistics.guaranteed_route_upserted`."""
    route = _route(body.route_id, body)
    saved = await put_route(request.app[LOGISTICS], route, create_only=True)
    return RouteView.of(saved)


@api.put("/v1/routes/{route_id}", body=RouteTerms, response=RouteView, roles=DEFAULT_ROUTE_MANAGERS)
async def replace_route(request: web.Request, body: RouteTerms) -> RouteView:
    """Create or change a route's terms (ops); `active: false` retires it for new orders."""
    route = _route(request.match_info["route_id"], body)
    saved = await put_route(request.app[LOGISTICS], route, create_only=False)
    return RouteView.of(saved)


@api.get("/v1/routes/landed-price", query=LandedPriceQuery, response=LandedPriceView, roles=ANY_ROLE)
async def quote_landed_price(request: web.Request, query: LandedPriceQuery) -> LandedPriceView:
    """Guaranteed shipping (and goods + shipping) on the fastest active route of the lane."""
    lane = await request.app[LOGISTICS].routes.on_lane(query.origin, query.destination)
    route = select_route(lane, query.origin, query.destination)
    view = LandedPriceView(
        route_id=route.route_id,
        carrier_service=route.carrier_service,
        transit_days=route.transit_days,
        destination_timezone=route.destination_timezone,
        shipping=shipping_cost(route, query.quantity, query.weight_grams),
    )
    if query.unit_price is None:
        return view
    try:
        unit = Money(amount=query.unit_price, currency=query.currency or route.currency)
    except ValidationError as error:
        raise validation_problem(error) from None
    price = landed_price(route, unit, query.quantity, query.weight_grams)
    return view.model_copy(update={"goods": price.goods, "total": price.total})


def managed_by(managers: Collection[Role]) -> Api:
    """The route table with creating and changing routes open to `managers` (a configured role set)."""
    return api.with_roles(managers, create_route, replace_route)
