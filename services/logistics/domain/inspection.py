"""Third-party pre-shipment inspection: booking, the agency's result, and its hold on dispatch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.clock import UtcDateTime, require_utc
from shared.contracts.logistics import (
    Criterion,
    CriterionResult,
    InspectionAgency,
    InspectionBooked,
    InspectionCompleted,
)
from shared.messaging.envelope import Event

from .criteria import evaluate_criteria
from .errors import (
    DispatchBlockedByFailedInspectionError,
    InspectionAlreadyCompletedError,
    InspectionPendingError,
    InspectionRequiredError,
    NotOrderBuyerError,
    ShipmentAlreadyDispatchedError,
    ShipmentCancelledError,
)
from .shipment import Shipment


class InspectionStatus(StrEnum):
    BOOKED = "booked"
    PASSED = "passed"
    FAILED = "failed"


class InspectionReport(BaseModel):
    """What the agency found, criterion by criterion."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    report_ref: str = Field(min_length=1)
    inspected_at: UtcDateTime
    results: tuple[CriterionResult, ...]


class Inspection(BaseModel):
    """Aggregate root: one booked inspection of one shipment's goods."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    inspection_id: str
    order_id: str
    shipment_id: str
    buyer_id: str
    supplier_id: str
    agency: InspectionAgency
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    booked_at: UtcDateTime
    status: InspectionStatus = InspectionStatus.BOOKED
    report: InspectionReport | None = None

    @field_validator("criteria")
    @classmethod
    def _distinct_names(cls, criteria: tuple[Criterion, ...]) -> tuple[Criterion, ...]:
        names = [c.name for c in criteria]
        if len(set(names)) != len(names):
            raise ValueError("criterion names must be distinct")
        return criteria


def book_inspection(
    *,
    inspection_id: str,
    shipment: Shipment,
    buyer_id: str,
    agency: InspectionAgency,
    criteria: Sequence[Criterion],
    now: datetime,
) -> tuple[Inspection, list[Event]]:
    """The order's buyer books a pre-shipment inspection, so only before dispatch."""
    if buyer_id != shipment.buyer_id:
        raise NotOrderBuyerError(f"only the buyer of order {shipment.order_id} may book its inspection")
    if shipment.cancelled_at is not None:
        raise ShipmentCancelledError(f"shipment {shipment.shipment_id} was cancelled")
    if shipment.dispatch is not None:
        raise ShipmentAlreadyDispatchedError("a pre-shipment inspection must be booked before dispatch")
    inspection = Inspection(
        inspection_id=inspection_id,
        order_id=shipment.order_id,
        shipment_id=shipment.shipment_id,
        buyer_id=shipment.buyer_id,
        supplier_id=shipment.supplier_id,
        agency=agency,
        criteria=tuple(criteria),
        booked_at=require_utc(now),
    )
    booked = InspectionBooked(
        **shipment.parties(),
        inspection_id=inspection_id,
        agency=agency,
        criteria=inspection.criteria,
        booked_at=inspection.booked_at,
    )
    return inspection, [booked]


def record_inspection_result(
    inspection: Inspection,
    *,
    report_ref: str,
    measurements: Mapping[str, Decimal],
    inspected_at: datetime,
) -> tuple[Inspection, list[Event]]:
    """Evaluate the agency's measurements: passed only when every criterion is met."""
    if inspection.status is not InspectionStatus.BOOKED:
        raise InspectionAlreadyCompletedError(f"inspection {inspection.inspection_id} already has a result")
    results = evaluate_criteria(inspection.criteria, measurements)
    passed = all(r.passed for r in results)
    report = InspectionReport(report_ref=report_ref, inspected_at=inspected_at, results=results)
    completed = inspection.model_copy(
        update={"status": InspectionStatus.PASSED if passed else InspectionStatus.FAILED, "report": report}
    )
    event = InspectionCompleted(
        order_id=inspection.order_id,
        shipment_id=inspection.shipment_id,
        buyer_id=inspection.buyer_id,
        supplier_id=inspection.supplier_id,
        inspection_id=inspection.inspection_id,
        agency=inspection.agency,
        report_ref=report.report_ref,
        passed=passed,
        results=results,
        inspected_at=report.inspected_at,
    )
    return completed, [event]


def ensure_inspection_allows_dispatch(latest: Inspection | None, required: bool) -> None:
    """Dispatch waits for the latest booked inspection to pass; a failed one blocks it."""
    if latest is None:
        if required:
            raise InspectionRequiredError("the contract requires a passed inspection before dispatch")
        return
    if latest.status is InspectionStatus.BOOKED:
        raise InspectionPendingError(f"inspection {latest.inspection_id} has no result yet")
    if latest.status is InspectionStatus.FAILED:
        raise DispatchBlockedByFailedInspectionError(
            f"inspection {latest.inspection_id} failed; dispatch is blocked"
        )
