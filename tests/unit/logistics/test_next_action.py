"""Next actions of shipments, inspections and returns: who acts, by the instant the enforcing rule uses."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services.logistics.domain.dispatch import dispatch_shipment
from services.logistics.domain.easy_return import ReturnableOrder
from services.logistics.domain.inspection import Inspection, record_inspection_result
from services.logistics.domain.next_action import (
    inspection_next_action,
    return_next_action,
    shipment_next_action,
)
from services.logistics.domain.returns import (
    EasyReturn,
    ReturnLabel,
    issue_dispute_return_label,
    mark_return_in_transit,
    receive_return,
)
from services.logistics.domain.shipment import Shipment, cancel_shipment
from services.logistics.domain.sla import is_delivery_late, is_dispatch_late
from services.logistics.domain.tracking import TrackingStatus
from shared.next_action import Actor, NextAction
from tests.support.protection import easy_return

from .builders import (
    FUNDED_AT,
    SUPPLIER,
    TRACKING,
    a_booked_inspection,
    a_completed_inspection,
    a_dispatched_shipment,
    a_shipment,
    usd,
)

TICK = timedelta(milliseconds=1)


def passed(inspection: Inspection) -> Inspection:
    completed, _ = record_inspection_result(
        inspection,
        report_ref="SGS-1",
        measurements={"defect_rate": Decimal("1.0"), "quantity": Decimal(1000), "length": Decimal(100)},
        inspected_at=FUNDED_AT + timedelta(hours=30),
    )
    return completed


def dispatched(shipment: Shipment, inspection: Inspection) -> Shipment:
    moved, _ = dispatch_shipment(
        shipment,
        supplier_id=SUPPLIER,
        carrier="ups",
        tracking_number=TRACKING,
        latest_inspection=inspection,
        now=FUNDED_AT + timedelta(hours=40),
    )
    return moved


# Shipments


def test_an_undispatched_shipment_asks_the_supplier_to_dispatch_by_the_deadline_the_sla_monitor_judges() -> (
    None
):
    # Given a funded shipment that is not dispatched
    shipment = a_shipment()

    # When its next action is asked
    action = shipment_next_action(shipment, None)

    # Then the supplier dispatches by the last instant the SLA monitor still counts as on time
    assert action is not None
    assert (action.actor, action.action) == (Actor.SUPPLIER, "dispatch")
    assert action.due_at is not None
    assert not is_dispatch_late(shipment, action.due_at)
    assert is_dispatch_late(shipment, action.due_at + TICK)


def test_a_contract_requiring_inspection_asks_the_buyer_to_book_one_by_the_dispatch_deadline() -> None:
    shipment = a_shipment(inspection_required=True)

    action = shipment_next_action(shipment, None)

    assert action == NextAction(
        actor=Actor.BUYER, action="book_inspection", due_at=shipment.promise.dispatch_deadline
    )


def test_a_booked_inspection_asks_the_agency_to_report_before_the_dispatch_deadline() -> None:
    shipment = a_shipment(inspection_required=True)

    action = shipment_next_action(shipment, a_booked_inspection(shipment))

    assert action == NextAction(
        actor=Actor.INSPECTION_AGENCY, action="report_inspection", due_at=shipment.promise.dispatch_deadline
    )


def test_a_passed_inspection_hands_dispatch_back_to_the_supplier() -> None:
    shipment = a_shipment(inspection_required=True)

    action = shipment_next_action(shipment, passed(a_booked_inspection(shipment)))

    assert action == NextAction(
        actor=Actor.SUPPLIER, action="dispatch", due_at=shipment.promise.dispatch_deadline
    )


def test_a_shipment_blocked_by_a_failed_inspection_waits_on_the_claim_it_opened_not_on_logistics() -> None:
    assert shipment_next_action(a_shipment(), a_completed_inspection(defect_rate="4.0")) is None


def test_a_dispatched_shipment_awaits_the_carriers_delivery_before_the_instant_it_becomes_late() -> None:
    # Given a shipment handed to the carrier
    shipment = a_dispatched_shipment()

    # When its next action is asked
    action = shipment_next_action(shipment, None)

    # Then the carrier delivers, due at the first instant the SLA monitor counts delivery as late
    assert action is not None
    assert (action.actor, action.action) == (Actor.CARRIER, "deliver")
    assert action.due_at is not None
    assert not is_delivery_late(shipment, action.due_at - TICK)
    assert is_delivery_late(shipment, action.due_at)


@pytest.mark.parametrize(
    "status",
    [TrackingStatus.DELIVERED, TrackingStatus.LOST, TrackingStatus.DAMAGED, TrackingStatus.RETURN_TO_SENDER],
)
def test_a_shipment_the_carrier_has_finished_with_asks_nothing_more_of_logistics(
    status: TrackingStatus,
) -> None:
    finished = a_dispatched_shipment().model_copy(update={"status": status})

    assert shipment_next_action(finished, None) is None


def test_a_cancelled_shipment_asks_nothing() -> None:
    cancelled, _ = cancel_shipment(a_shipment(), FUNDED_AT + timedelta(hours=1))

    assert shipment_next_action(cancelled, None) is None


# Inspections


def test_a_booked_inspection_is_the_agencys_to_report_and_a_passed_one_the_suppliers_to_dispatch() -> None:
    shipment = a_shipment(inspection_required=True)
    booked = a_booked_inspection(shipment)
    reported = passed(booked)
    deadline = shipment.promise.dispatch_deadline

    assert inspection_next_action(booked, shipment, booked) == NextAction(
        actor=Actor.INSPECTION_AGENCY, action="report_inspection", due_at=deadline
    )
    assert inspection_next_action(reported, shipment, reported) == NextAction(
        actor=Actor.SUPPLIER, action="dispatch", due_at=deadline
    )


def test_an_inspection_asks_nothing_once_the_goods_left_or_when_it_failed() -> None:
    shipment = a_shipment(inspection_required=True)
    reported = passed(a_booked_inspection(shipment))
    failed = a_completed_inspection(defect_rate="4.0")

    assert inspection_next_action(reported, dispatched(shipment, reported), reported) is None
    assert inspection_next_action(failed, a_shipment(), failed) is None


def test_an_inspection_superseded_by_a_later_booking_asks_nothing_since_dispatch_waits_on_the_later_one() -> (
    None
):
    shipment = a_shipment(inspection_required=True)
    earlier = passed(a_booked_inspection(shipment))
    later = a_booked_inspection(shipment).model_copy(update={"inspection_id": "inspection-2"})

    assert inspection_next_action(earlier, shipment, later) is None
    assert inspection_next_action(later, shipment, later) is not None


# Returns


def a_return() -> EasyReturn:
    order = ReturnableOrder(
        order_id="order-1",
        shipment_id="shipment-1",
        buyer_id="buyer-1",
        supplier_id="supplier-1",
        easy_return=easy_return("USD"),
        product_total=usd("900.00"),
        shipping_total=usd("100.00"),
        delivered_at=FUNDED_AT + timedelta(days=8),
    )
    label = ReturnLabel(carrier="dhl", tracking_number="RT-1", warehouse_id="wh-de")
    ret, _ = issue_dispute_return_label(
        return_id="r-1", claim_id="c-1", order=order, label=label, now=FUNDED_AT + timedelta(days=9)
    )
    return ret


def test_a_return_label_asks_the_buyer_to_ship_the_parcel_with_no_date_since_no_rule_sets_one() -> None:
    assert return_next_action(a_return()) == NextAction(actor=Actor.BUYER, action="ship_return", due_at=None)


def test_a_return_in_transit_waits_for_the_carrier_to_reach_the_warehouse() -> None:
    moving, _ = mark_return_in_transit(a_return(), FUNDED_AT + timedelta(days=10))

    assert return_next_action(moving) == NextAction(actor=Actor.CARRIER, action="deliver_return", due_at=None)


def test_a_received_return_asks_nothing_more_of_logistics_since_the_refund_is_escrows() -> None:
    moving, _ = mark_return_in_transit(a_return(), FUNDED_AT + timedelta(days=10))
    received, _ = receive_return(moving, warehouse_id="wh-de", now=FUNDED_AT + timedelta(days=12))

    assert return_next_action(received) is None


def test_an_inspection_asks_nothing_while_its_shipment_or_its_latest_inspection_is_unknown() -> None:
    # given a booked inspection
    shipment = a_shipment(inspection_required=True)
    booked = a_booked_inspection(shipment)
    # when its shipment, or the shipment's latest inspection, is not known
    # then it asks nothing of anyone
    assert inspection_next_action(booked, None, booked) is None
    assert inspection_next_action(booked, shipment, None) is None
