"""Shipments: read by their parties and ops, dispatched by the supplier, tracked by carrier webhooks."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.http.pages import Page
from shared.http.problems import validation_problem
from shared.http.routes import Api, principal
from shared.security.roles import Role
from shared.store import value_of
from shared.text import PlainText

from ..adapters.lists import SHIPMENT_LIST
from ..adapters.provider_messages import WEBHOOK_SIGNATURE_HEADER, CarrierTrackingUpdate
from ..domain.tracking import CarrierEvent, normalise_status
from ..handlers.access import SHIPMENTS
from ..handlers.shipments import dispatch, track
from .access import PARTIES_AND_OPS, signed_body
from .deps import LISTS, LOGISTICS, SETTINGS
from .list_views import ShipmentListQuery, ShipmentPage, ShipmentSummary
from .views import ShipmentView


class DispatchShipment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    carrier: PlainText = Field(min_length=1, max_length=64, examples=["dhl"])
    tracking_number: PlainText = Field(min_length=1, max_length=64)


class TrackingAccepted(BaseModel):
    shipment_id: str
    status: str


api = Api("shipments", requires=(LOGISTICS, SETTINGS, LISTS))


@api.get("/v1/shipments", query=ShipmentListQuery, response=ShipmentPage, roles=PARTIES_AND_OPS)
async def list_shipments(request: web.Request, query: ShipmentListQuery) -> Page[ShipmentSummary]:
    """The caller's shipments (all for ops); `stage=awaiting_dispatch&sort=dispatch_due`: what to ship."""
    listing = query.listing(SHIPMENT_LIST, principal(request))
    return ShipmentPage.of(await request.app[LISTS].shipment_page(listing), ShipmentSummary.of)


@api.get("/v1/shipments/{shipment_id}", response=ShipmentView, roles=PARTIES_AND_OPS)
async def read_shipment(request: web.Request) -> ShipmentView:
    """A shipment, its promise and its tracking history (the order's parties and ops)."""
    shipment_id = request.match_info["shipment_id"]
    stored = await request.app[LOGISTICS].shipments.get(shipment_id)
    return ShipmentView.of(SHIPMENTS.seen(principal(request), value_of(stored), f"shipment {shipment_id}"))


@api.get("/v1/orders/{order_id}/shipment", response=ShipmentView, roles=PARTIES_AND_OPS)
async def read_order_shipment(request: web.Request) -> ShipmentView:
    """The shipment of an order (the order's parties and ops)."""
    order_id = request.match_info["order_id"]
    stored = await request.app[LOGISTICS].shipments.of_order(order_id)
    return ShipmentView.of(
        SHIPMENTS.seen(principal(request), value_of(stored), f"shipment of order {order_id}")
    )


@api.post(
    "/v1/shipments/{shipment_id}/dispatch",
    body=DispatchShipment,
    response=ShipmentView,
    roles={Role.SUPPLIER},
)
async def dispatch_shipment(request: web.Request, body: DispatchShipment) -> ShipmentView:
    """The order's supplier hands the goods to a carrier; a failed or pending inspection blocks it."""
    shipment = await dispatch(
        request.app[LOGISTICS],
        request.match_info["shipment_id"],
        who=principal(request),
        carrier=body.carrier,
        tracking_number=body.tracking_number,
    )
    return ShipmentView.of(shipment)


@api.post(
    "/v1/carriers/{carrier}/webhooks",
    response=TrackingAccepted,
    roles=None,
    signature_header=WEBHOOK_SIGNATURE_HEADER,
    signed_body=CarrierTrackingUpdate,
)
async def carrier_webhook(request: web.Request) -> TrackingAccepted:
    """A carrier's signed tracking event; unsigned or forged ones are refused and change nothing."""
    logistics, settings = request.app[LOGISTICS], request.app[SETTINGS]
    body = await signed_body(
        request,
        settings.carrier_secrets(request.match_info["carrier"]),
        logistics.clock.now(),
        settings.webhook_tolerance_seconds,
    )
    try:
        update = CarrierTrackingUpdate.model_validate_json(body)
    except ValidationError as error:
        raise validation_problem(error) from None
    event = CarrierEvent(
        event_id=update.event_id,
        tracking_number=update.tracking_number,
        status=normalise_status(update.status),
        occurred_at=update.occurred_at,
        location=update.location,
    )
    shipment = await track(logistics, request.match_info["carrier"], event)
    return TrackingAccepted(shipment_id=shipment.shipment_id, status=shipment.status.value)
