from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.logistics.domain.dispatch import dispatch_shipment
from services.logistics.domain.errors import (
    DispatchBlockedByFailedInspectionError,
    InspectionPendingError,
    InspectionRequiredError,
    NotShipmentSupplierError,
    ShipmentAlreadyDispatchedError,
    ShipmentCancelledError,
)
from services.logistics.domain.inspection import Inspection
from services.logistics.domain.shipment import Shipment, cancel_shipment
from shared.contracts.logistics import ShipmentDispatched
from shared.messaging.envelope import Event

from .builders import (
    FUNDED_AT,
    SUPPLIER,
    a_booked_inspection,
    a_completed_inspection,
    a_shipment,
)

DEADLINE = FUNDED_AT + timedelta(hours=72)


def dispatch(
    shipment: Shipment,
    *,
    supplier_id: str = SUPPLIER,
    inspection: Inspection | None = None,
    now: datetime = FUNDED_AT + timedelta(hours=24),
) -> tuple[Shipment, list[Event]]:
    updated, events = dispatch_shipment(
        shipment,
        supplier_id=supplier_id,
        carrier="ups",
        tracking_number="1Z999",
        latest_inspection=inspection,
        now=now,
    )
    return updated, events


def test_supplier_dispatch_records_carrier_and_tracking_number() -> None:
    # when the supplier dispatches a day after funding
    shipment, events = dispatch(a_shipment())
    # then the hand-over is recorded and announced as on time
    assert shipment.dispatch is not None
    assert shipment.dispatch.tracking_number == "1Z999"
    assert len(events) == 1
    event = events[0]
    assert isinstance(event, ShipmentDispatched)
    assert (event.carrier, event.tracking_number, event.on_time) == ("ups", "1Z999", True)


def test_dispatch_exactly_at_the_deadline_is_on_time() -> None:
    _, events = dispatch(a_shipment(), now=DEADLINE)
    assert isinstance(events[0], ShipmentDispatched)
    assert events[0].on_time


def test_dispatch_after_the_deadline_is_recorded_as_late() -> None:
    _, events = dispatch(a_shipment(), now=DEADLINE + timedelta(seconds=1))
    assert isinstance(events[0], ShipmentDispatched)
    assert not events[0].on_time


def test_only_the_order_supplier_may_dispatch() -> None:
    with pytest.raises(NotShipmentSupplierError):
        dispatch(a_shipment(), supplier_id="supplier-2")


def test_shipment_is_dispatched_only_once_and_the_same_hand_over_reported_again_changes_nothing() -> None:
    dispatched, _ = dispatch(a_shipment())
    # the same carrier and tracking number again (a retry whose answer was lost): no change, no event
    again, events = dispatch(dispatched, now=FUNDED_AT + timedelta(hours=30))
    assert again is dispatched
    assert events == []
    # another hand-over of the same shipment is refused
    with pytest.raises(ShipmentAlreadyDispatchedError):
        dispatch_shipment(
            dispatched,
            supplier_id=SUPPLIER,
            carrier="dhl",
            tracking_number="JD0001",
            latest_inspection=None,
            now=FUNDED_AT + timedelta(hours=30),
        )


def test_cancelled_shipment_cannot_be_dispatched() -> None:
    cancelled, _ = cancel_shipment(a_shipment(), FUNDED_AT + timedelta(hours=1))
    with pytest.raises(ShipmentCancelledError):
        dispatch(cancelled)


def test_failed_inspection_blocks_dispatch() -> None:
    with pytest.raises(DispatchBlockedByFailedInspectionError):
        dispatch(a_shipment(), inspection=a_completed_inspection(defect_rate="4.0"))


def test_dispatch_waits_for_a_booked_inspection_result() -> None:
    with pytest.raises(InspectionPendingError):
        dispatch(a_shipment(), inspection=a_booked_inspection())


def test_passed_inspection_allows_dispatch() -> None:
    shipment, _ = dispatch(a_shipment(), inspection=a_completed_inspection(defect_rate="2.5"))
    assert shipment.dispatch is not None


def test_contract_requiring_inspection_blocks_dispatch_until_one_passes() -> None:
    shipment = a_shipment(inspection_required=True)
    with pytest.raises(InspectionRequiredError):
        dispatch(shipment)
    dispatched, _ = dispatch(shipment, inspection=a_completed_inspection(defect_rate="1.0"))
    assert dispatched.dispatch is not None
