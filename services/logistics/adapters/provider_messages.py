"""Bodies of the webhooks carriers and inspection agencies post to us (sandbox adapters send the same)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

WEBHOOK_SIGNATURE_HEADER = "Tradeguard-Signature"


class CarrierTrackingUpdate(BaseModel):
    """One tracking event in the carrier's words; the service normalises `status`."""

    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(min_length=1)
    tracking_number: str = Field(min_length=1)
    status: str = Field(min_length=1, examples=["In transit", "DELIVERED"])
    occurred_at: AwareDatetime
    location: str | None = None


class InspectionResultReport(BaseModel):
    """The agency's measurements for a booked inspection, criterion name → measured value."""

    model_config = ConfigDict(extra="forbid")

    inspection_id: str = Field(min_length=1)
    report_ref: str = Field(min_length=1)
    inspected_at: AwareDatetime
    measurements: dict[str, Decimal]
