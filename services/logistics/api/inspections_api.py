"""Pre-shipment inspections: booked by the buyer, reported by the agency's signed webhook."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError, WithJsonSchema

from shared.contracts.logistics import Criterion, InspectionAgency
from shared.http.pages import Page
from shared.http.problems import Problem, validation_problem
from shared.http.routes import Api, principal
from shared.security.roles import Role
from shared.store import value_of
from shared.text import Identifier, PlainText

from ..adapters.lists import INSPECTION_LIST
from ..adapters.provider_messages import WEBHOOK_SIGNATURE_HEADER, InspectionResultReport
from ..handlers.access import INSPECTIONS
from ..handlers.inspections import book, record_result
from .access import PARTIES_AND_OPS, signed_body
from .deps import LISTS, LOGISTICS, SETTINGS
from .list_views import InspectionListQuery, InspectionPage, InspectionSummary
from .views import InspectionView

MAX_MEASURE = 10**12
# Read from a number (or the string of one); published as the bounded number clients send.
Measure = Annotated[
    Decimal,
    Field(ge=-MAX_MEASURE, le=MAX_MEASURE, max_digits=24),
    WithJsonSchema({"type": "number", "minimum": -MAX_MEASURE, "maximum": MAX_MEASURE}),
]


class RequiredCriterion(BaseModel):
    """A measurement the buyer requires, with its bounds: e.g. defect_rate ≤ 2.5 %, length 99–101 mm."""

    model_config = ConfigDict(extra="forbid")

    name: PlainText = Field(min_length=1, max_length=100)
    unit: PlainText = Field(min_length=1, max_length=20, examples=["%", "pcs", "mm"])
    min_value: Measure | None = None
    max_value: Measure | None = None

    def criterion(self) -> Criterion:
        """Bounds are checked by the contract's model: a 422 names the criterion that has none."""
        return Criterion.model_validate(self.model_dump())


class BookInspection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_id: Identifier
    agency: InspectionAgency
    criteria: list[RequiredCriterion] = Field(
        fail_fast=True,
        min_length=1,
        max_length=50,
        description="Measurable criteria from the contract, e.g. defect_rate ≤ 2.5 %.",
    )


api = Api("inspections", requires=(LOGISTICS, SETTINGS, LISTS))


@api.get("/v1/inspections", query=InspectionListQuery, response=InspectionPage, roles=PARTIES_AND_OPS)
async def list_inspections(request: web.Request, query: InspectionListQuery) -> Page[InspectionSummary]:
    """The caller's inspections (all for ops); `status=booked&sort=booked`: the reports still awaited."""
    listing = query.listing(INSPECTION_LIST, principal(request))
    return InspectionPage.of(await request.app[LISTS].inspection_page(listing), InspectionSummary.of)


@api.post("/v1/inspections", body=BookInspection, response=InspectionView, status=201, roles={Role.BUYER})
async def book_inspection(request: web.Request, body: BookInspection) -> InspectionView:
    """The order's buyer books SGS, Bureau Veritas or Intertek before dispatch."""
    try:
        inspection = await book(
            request.app[LOGISTICS],
            order_id=body.order_id,
            who=principal(request),
            agency=body.agency,
            criteria=[required.criterion() for required in body.criteria],
        )
    except ValidationError as error:  # e.g. two criteria with one name
        raise validation_problem(error) from None
    return InspectionView.of(inspection)


@api.get("/v1/inspections/{inspection_id}", response=InspectionView, roles=PARTIES_AND_OPS)
async def read_inspection(request: web.Request) -> InspectionView:
    """An inspection and its report (the order's parties and ops)."""
    inspection_id = request.match_info["inspection_id"]
    stored = await request.app[LOGISTICS].inspections.get(inspection_id)
    return InspectionView.of(
        INSPECTIONS.seen(principal(request), value_of(stored), f"inspection {inspection_id}")
    )


@api.post(
    "/v1/inspection-agencies/{agency}/webhooks",
    response=InspectionView,
    roles=None,
    signature_header=WEBHOOK_SIGNATURE_HEADER,
    signed_body=InspectionResultReport,
)
async def agency_webhook(request: web.Request) -> InspectionView:
    """An agency's signed report: a failed inspection blocks dispatch and is sent to disputes."""
    logistics, settings = request.app[LOGISTICS], request.app[SETTINGS]
    body = await signed_body(
        request,
        settings.agency_secrets(request.match_info["agency"]),
        logistics.clock.now(),
        settings.webhook_tolerance_seconds,
    )
    try:
        agency = InspectionAgency(request.match_info["agency"])
    except ValueError:
        raise Problem(404, "agency-not-found", "Not Found", "unknown inspection agency") from None
    try:
        report = InspectionResultReport.model_validate_json(body)
    except ValidationError as error:
        raise validation_problem(error) from None
    inspection = await record_result(logistics, agency, report)
    return InspectionView.of(inspection)
