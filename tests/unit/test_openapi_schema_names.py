"""Every schema of a service's OpenAPI document has a name of its own, so client generators accept it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from aiohttp import web
from pydantic import BaseModel, ConfigDict

from shared.http.openapi import AmbiguousSchema, build_openapi
from shared.http.routes import Api, PerAudience


class Measurement(BaseModel):
    # A Decimal is read from a number but written as a string: one class, two shapes.
    model_config = ConfigDict(extra="forbid")

    value: Decimal


class MeasurementView(BaseModel):
    value: Decimal


def api_with(response: type[BaseModel]) -> Api:
    api = Api("measurements")

    @api.post("/v1/measurements", body=Measurement, response=response, roles=None)
    async def record(request: web.Request, body: Measurement) -> BaseModel:
        return response.model_validate(body.model_dump())

    return api


def test_a_model_read_and_written_in_two_shapes_is_refused_when_the_document_is_built() -> None:
    with pytest.raises(AmbiguousSchema, match="Measurement"):
        build_openapi(title="t", version="v1", apis=[api_with(Measurement)])


def test_a_request_model_and_a_response_model_each_get_their_own_schema() -> None:
    document = build_openapi(title="t", version="v1", apis=[api_with(MeasurementView)])

    assert {"Measurement", "MeasurementView"} <= set(document["components"]["schemas"])


class StaffView(MeasurementView):
    recorded_by: str


def test_a_route_answering_each_audience_its_own_view_documents_every_view() -> None:
    # Given a route whose answer is the staff view for ops and the plain view for everyone else
    api = Api("measurements")

    @api.get(
        "/v1/measurements/{measurement_id}", response=PerAudience(StaffView, MeasurementView), roles=None
    )
    async def read(request: web.Request) -> BaseModel:
        return MeasurementView(value=Decimal(1))

    # When the document is built
    document = build_openapi(title="t", version="v1", apis=[api])

    # Then the answer is any of the views, the richest first, each a schema of its own
    answer = document["paths"]["/v1/measurements/{measurement_id}"]["get"]["responses"]["200"]
    views = answer["content"]["application/json"]["schema"]["anyOf"]
    assert views == [
        {"$ref": "#/components/schemas/StaffView"},
        {"$ref": "#/components/schemas/MeasurementView"},
    ]
    assert {"StaffView", "MeasurementView"} <= set(document["components"]["schemas"])
