"""Ops manage Guaranteed routes; each change is announced so catalog's quotes follow the table."""

from __future__ import annotations

from shared.contracts.logistics import GuaranteedRouteUpserted
from shared.unit_of_work import Transaction

from ..domain.errors import RouteAlreadyExistsError
from ..domain.routes import GuaranteedRoute
from .logistics import Logistics


def route_upserted(route: GuaranteedRoute) -> GuaranteedRouteUpserted:
    return GuaranteedRouteUpserted(
        route_id=route.route_id,
        origin=route.origin_country,
        destination=route.destination_country,
        carrier_service=route.carrier_service,
        transit_days=route.transit_days,
        price_per_unit=route.price_per_unit,
        price_per_kg=route.price_per_kg,
        destination_timezone=route.destination_timezone,
        active=route.active,
    )


async def put_route(logistics: Logistics, route: GuaranteedRoute, *, create_only: bool) -> GuaranteedRoute:
    """Create (or, unless `create_only`, replace) a route and announce it in the same transaction."""

    async def work(tx: Transaction) -> GuaranteedRoute:
        stored = await logistics.routes.get(route.route_id, session=tx.session)
        if stored is None:
            await logistics.routes.insert(route, session=tx.session)
        elif create_only:
            raise RouteAlreadyExistsError(f"route {route.route_id} already exists; PUT it to change it")
        else:
            await logistics.routes.save(route, expected_version=stored.version, session=tx.session)
        await tx.emit(route_upserted(route))
        return route

    return await logistics.uow.run(work)
