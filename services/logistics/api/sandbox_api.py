"""Sandbox controls (SANDBOX=true only): drive the sandbox carrier, agency and return warehouse."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from aiohttp import web
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.http.routes import Api
from shared.text import Identifier, PlainText

from ..adapters.provider_messages import CarrierTrackingUpdate, InspectionResultReport
from ..domain.errors import InspectionNotFoundError, ShipmentNotDispatchedError, ShipmentNotFoundError
from ..handlers.returns import scan_at_warehouse
from .deps import LOGISTICS, SANDBOX_AGENCY, SANDBOX_CARRIER
from .inspections_api import Measure
from .views import ReturnView


class TrackingControl(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: PlainText = Field(min_length=1, max_length=64, examples=["in_transit", "delivered", "lost"])
    occurred_at: AwareDatetime | None = Field(default=None, description="Carrier time; now by default.")
    event_id: Identifier | None = Field(default=None, description="Reuse one to send a duplicate.")
    location: PlainText | None = Field(default=None, max_length=200)
    deliveries: int = Field(default=1, ge=1, le=5, description="How many times the carrier sends it.")


class ResultControl(BaseModel):
    model_config = ConfigDict(extra="forbid")

    measurements: dict[Annotated[PlainText, Field(min_length=1, max_length=100)], Measure] = Field(
        fail_fast=True, max_length=50
    )
    report_ref: PlainText | None = Field(default=None, max_length=200)
    inspected_at: AwareDatetime | None = None
    deliveries: int = Field(default=1, ge=1, le=5)


class ScanControl(BaseModel):
    model_config = ConfigDict(extra="forbid")

    warehouse_id: Identifier | None = Field(default=None, description="The label's warehouse by default.")


class WebhookDeliveries(BaseModel):
    """What the sandbox provider sent and the status our webhook endpoint answered each time."""

    event_id: str
    statuses: list[int]


def _base_url(request: web.Request) -> str:
    # The sandbox provider calls back the instance that was asked, as a real one calls the public URL.
    return str(request.url.origin())


api = Api("sandbox", requires=(LOGISTICS, SANDBOX_CARRIER, SANDBOX_AGENCY))


def _now(request: web.Request) -> datetime:
    return request.app[LOGISTICS].clock.now()


@api.post(
    "/sandbox/shipments/{shipment_id}/tracking", body=TrackingControl, response=WebhookDeliveries, roles=None
)
async def post_tracking(request: web.Request, body: TrackingControl) -> WebhookDeliveries:
    """Make the sandbox carrier report a tracking status (duplicates, late or lost ones included)."""
    stored = await request.app[LOGISTICS].shipments.get(request.match_info["shipment_id"])
    if stored is None:
        raise ShipmentNotFoundError("no such shipment")
    dispatch = stored.value.dispatch
    if dispatch is None:
        raise ShipmentNotDispatchedError("the shipment has no carrier yet")
    update = CarrierTrackingUpdate(
        event_id=body.event_id or f"evt-{uuid.uuid4()}",
        tracking_number=dispatch.tracking_number,
        status=body.status,
        occurred_at=body.occurred_at or _now(request),
        location=body.location,
    )
    statuses = await request.app[SANDBOX_CARRIER].post_tracking(
        _base_url(request), dispatch.carrier, update, times=body.deliveries
    )
    return WebhookDeliveries(event_id=update.event_id, statuses=statuses)


@api.post(
    "/sandbox/inspections/{inspection_id}/result", body=ResultControl, response=WebhookDeliveries, roles=None
)
async def post_result(request: web.Request, body: ResultControl) -> WebhookDeliveries:
    """Make the inspection's agency report its measurements."""
    stored = await request.app[LOGISTICS].inspections.get(request.match_info["inspection_id"])
    if stored is None:
        raise InspectionNotFoundError("no such inspection")
    inspection = stored.value
    report = InspectionResultReport(
        inspection_id=inspection.inspection_id,
        report_ref=body.report_ref or f"{inspection.agency.value}-{uuid.uuid4().hex[:8]}",
        inspected_at=body.inspected_at or _now(request),
        measurements=body.measurements,
    )
    statuses = await request.app[SANDBOX_AGENCY].post_result(
        _base_url(request), inspection.agency, report, times=body.deliveries
    )
    return WebhookDeliveries(event_id=report.report_ref, statuses=statuses)


@api.post("/sandbox/returns/{return_id}/scan", body=ScanControl, response=ReturnView, roles=None)
async def scan_return(request: web.Request, body: ScanControl) -> ReturnView:
    """The local warehouse scans the returned parcel: `return_received`."""
    received = await scan_at_warehouse(
        request.app[LOGISTICS],
        request.match_info["return_id"],
        warehouse_id=body.warehouse_id,
    )
    return ReturnView.of(received)
