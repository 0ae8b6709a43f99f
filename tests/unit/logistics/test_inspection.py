from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from services.logistics.domain.criteria import evaluate_criteria
from services.logistics.domain.errors import (
    InspectionAlreadyCompletedError,
    MeasurementMissingError,
    NotOrderBuyerError,
    ShipmentAlreadyDispatchedError,
)
from services.logistics.domain.inspection import InspectionStatus, book_inspection, record_inspection_result
from shared.contracts.logistics import Criterion, InspectionAgency, InspectionBooked, InspectionCompleted

from .builders import (
    BUYER,
    DEFECT_RATE,
    FUNDED_AT,
    LENGTH,
    QUANTITY,
    a_booked_inspection,
    a_dispatched_shipment,
    a_shipment,
)

GOOD = {"defect_rate": Decimal("1.2"), "quantity": Decimal(1000), "length": Decimal("100.4")}


def test_buyer_books_an_inspection_with_contract_criteria() -> None:
    inspection, events = book_inspection(
        inspection_id="i-1",
        shipment=a_shipment(),
        buyer_id=BUYER,
        agency=InspectionAgency.BUREAU_VERITAS,
        criteria=[DEFECT_RATE, QUANTITY],
        now=FUNDED_AT,
    )
    assert inspection.status is InspectionStatus.BOOKED
    assert [type(e) for e in events] == [InspectionBooked]
    assert isinstance(events[0], InspectionBooked)
    assert events[0].criteria == (DEFECT_RATE, QUANTITY)


def test_only_the_order_buyer_books_its_inspection() -> None:
    with pytest.raises(NotOrderBuyerError):
        book_inspection(
            inspection_id="i-1",
            shipment=a_shipment(),
            buyer_id="buyer-2",
            agency=InspectionAgency.SGS,
            criteria=[DEFECT_RATE],
            now=FUNDED_AT,
        )


def test_pre_shipment_inspection_cannot_be_booked_after_dispatch() -> None:
    with pytest.raises(ShipmentAlreadyDispatchedError):
        a_booked_inspection(a_dispatched_shipment())


def test_criterion_needs_a_bound() -> None:
    with pytest.raises(ValidationError, match="minimum, a maximum"):
        Criterion(name="colour", unit="-")


def test_criteria_names_are_distinct() -> None:
    with pytest.raises(ValidationError, match="distinct"):
        book_inspection(
            inspection_id="i-1",
            shipment=a_shipment(),
            buyer_id=BUYER,
            agency=InspectionAgency.SGS,
            criteria=[DEFECT_RATE, DEFECT_RATE],
            now=FUNDED_AT,
        )


@pytest.mark.parametrize(
    ("measured", "passed"), [("99", True), ("101", True), ("98.9", False), ("101.1", False)]
)
def test_criterion_bounds_are_inclusive(measured: str, passed: bool) -> None:
    (result,) = evaluate_criteria([LENGTH], {"length": Decimal(measured)})
    assert result.passed is passed


def test_inspection_passes_when_every_criterion_is_met() -> None:
    inspection, events = record_inspection_result(
        a_booked_inspection(),
        report_ref="SGS-1",
        measurements=GOOD,
        inspected_at=FUNDED_AT + timedelta(days=1),
    )
    assert inspection.status is InspectionStatus.PASSED
    assert isinstance(events[0], InspectionCompleted)
    assert events[0].passed


def test_one_missed_criterion_fails_the_inspection_with_per_criterion_outcomes() -> None:
    # given a report whose defect rate is above the contract's 2.5 %
    measurements = GOOD | {"defect_rate": Decimal("3.1")}
    # when it is recorded
    inspection, events = record_inspection_result(
        a_booked_inspection(), report_ref="SGS-2", measurements=measurements, inspected_at=FUNDED_AT
    )
    # then the inspection fails and the event carries the full report for disputes
    assert inspection.status is InspectionStatus.FAILED
    event = events[0]
    assert isinstance(event, InspectionCompleted)
    assert (event.passed, event.agency, event.report_ref) == (False, InspectionAgency.SGS, "SGS-2")
    assert {r.criterion.name: r.passed for r in event.results} == {
        "defect_rate": False,
        "quantity": True,
        "length": True,
    }
    assert (event.order_id, event.buyer_id, event.supplier_id) == ("order-1", "buyer-1", "supplier-1")


def test_report_missing_a_measurement_is_refused() -> None:
    with pytest.raises(MeasurementMissingError, match="quantity"):
        record_inspection_result(
            a_booked_inspection(),
            report_ref="SGS-3",
            measurements={"defect_rate": Decimal(1), "length": Decimal(100)},
            inspected_at=FUNDED_AT,
        )


def test_inspection_result_is_recorded_once() -> None:
    done, _ = record_inspection_result(
        a_booked_inspection(), report_ref="SGS-4", measurements=GOOD, inspected_at=FUNDED_AT
    )
    with pytest.raises(InspectionAlreadyCompletedError):
        record_inspection_result(done, report_ref="SGS-5", measurements=GOOD, inspected_at=FUNDED_AT)


def test_a_completed_inspection_keeps_the_agencys_report() -> None:
    # given a booked inspection
    # when the agency reports on it
    inspection, _ = record_inspection_result(
        a_booked_inspection(), report_ref="SGS-5", measurements=GOOD, inspected_at=FUNDED_AT
    )
    # then the inspection keeps the report and its per-criterion results
    assert inspection.report is not None
    assert (inspection.report.report_ref, inspection.report.inspected_at) == ("SGS-5", FUNDED_AT)
    assert all(result.passed for result in inspection.report.results)
