"""Composition root of the logistics service: wires adapters, handlers, routes, subscriptions and timers."""

from __future__ import annotations

from aiohttp import web

from services.logistics.adapters.agency import SandboxAgency
from services.logistics.adapters.carrier import Carrier, NoCarrierConfigured, SandboxCarrier
from services.logistics.adapters.lists import LISTS
from services.logistics.adapters.repositories import (
    LOGISTICS_INDEXES,
    InspectionRepository,
    OrderRepository,
    ReturnRepository,
    RouteRepository,
    ShipmentRepository,
)
from services.logistics.adapters.signed_webhooks import SignedWebhookSender
from services.logistics.api import deps
from services.logistics.api.inspections_api import api as inspections_api
from services.logistics.api.returns_api import api as returns_api
from services.logistics.api.routes_api import managed_by
from services.logistics.api.sandbox_api import api as sandbox_api
from services.logistics.api.shipments_api import api as shipments_api
from services.logistics.bootstrap import LogisticsService, bootstrap
from services.logistics.domain import errors
from services.logistics.handlers.lists import LogisticsLists
from services.logistics.handlers.logistics import Logistics
from services.logistics.handlers.sla import sla_monitor
from services.logistics.settings import LogisticsSettings
from shared.clock import Clock
from shared.http.outbound import OutboundHttp
from shared.http.problems import ErrorStatuses
from shared.platform import Platform
from shared.security.jwt import TokenVerifier
from shared.security.roles import Role
from shared.service import ServiceParts, build_web_app
from shared.time_zones import DestinationZoneRefused
from shared.timers import DueTimer
from shared.unit_of_work import MongoUnitOfWork

ERROR_STATUSES: ErrorStatuses = {
    errors.LogisticsError: 409,
    errors.ShipmentNotFoundError: 404,
    errors.OrderNotFoundError: 404,
    errors.InspectionNotFoundError: 404,
    errors.ReturnNotFoundError: 404,
    errors.RouteNotFoundError: 404,
    errors.NotShipmentSupplierError: 404,
    errors.NotOrderBuyerError: 404,
    errors.WeightRequiredError: 422,
    errors.RouteCurrencyMismatchError: 422,
    errors.UnknownTrackingStatusError: 422,
    errors.MeasurementMissingError: 422,
    errors.NotEligibleForEasyReturnError: 422,
    DestinationZoneRefused: 422,
}


def over_mongo(platform: Platform, settings: LogisticsSettings, carrier: Carrier) -> LogisticsService:
    """The handlers over the service's MongoDB database and outbox."""
    db = platform.db
    return bootstrap(
        uow=MongoUnitOfWork(platform.client, platform.outbox),
        clock=platform.clock,
        policy=settings.policy,
        carrier=carrier,
        return_warehouse=settings.return_warehouse,
        routes=RouteRepository(db),
        shipments=ShipmentRepository(db),
        orders=OrderRepository(db),
        inspections=InspectionRepository(db),
        returns=ReturnRepository(db),
    )


def monitor(platform: Platform, settings: LogisticsSettings, logistics: Logistics) -> DueTimer:
    """The SLA monitor's persisted timer on the shipments collection."""
    return sla_monitor(
        logistics,
        client=platform.client,
        db=platform.db,
        interval_seconds=settings.sla_sweep_seconds,
        batch_size=settings.sla_batch_size,
    )


def build_app(
    settings: LogisticsSettings | None = None,
    *,
    clock: Clock | None = None,
    verifier: TokenVerifier | None = None,
) -> web.Application:
    settings = settings or LogisticsSettings()
    platform = Platform(settings, clock=clock)
    # The sandbox carrier and agency post their webhooks over one kept-alive client.
    outbound = OutboundHttp(settings.sandbox_provider_timeout_seconds)
    webhooks = SignedWebhookSender(settings.sandbox_webhook_secret, platform.clock, outbound)
    sandbox_carrier = SandboxCarrier(webhooks)
    # The sandbox carrier stands in for a real one only in sandbox mode; never in production.
    carrier: Carrier = sandbox_carrier if settings.sandbox else NoCarrierConfigured()
    service = over_mongo(platform, settings, carrier)
    logistics = service.logistics
    route_managers = frozenset(Role(role) for role in settings.route_manager_roles)
    apis = [managed_by(route_managers), shipments_api, inspections_api, returns_api]
    if settings.sandbox:
        apis.append(sandbox_api)
    parts = ServiceParts(
        apis=apis,
        subscriptions=list(service.subscriptions),
        indexes=LOGISTICS_INDEXES,
        lists=LISTS,
        timers=[monitor(platform, settings, logistics)],
        error_statuses=ERROR_STATUSES,
    )
    app = build_web_app(platform, parts, verifier=verifier)
    # What the routes read from the request's app.
    app[deps.LOGISTICS] = logistics
    app[deps.SETTINGS] = settings
    db = platform.db
    app[deps.LISTS] = LogisticsLists(ShipmentRepository(db), InspectionRepository(db), ReturnRepository(db))
    if settings.sandbox:
        app[deps.SANDBOX_CARRIER] = sandbox_carrier
        app[deps.SANDBOX_AGENCY] = SandboxAgency(webhooks)
    outbound.close_with(app)
    return app
