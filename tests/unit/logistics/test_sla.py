from __future__ import annotations

from datetime import timedelta

from services.logistics.domain.carrier_updates import record_carrier_event
from services.logistics.domain.shipment import Shipment, cancel_shipment
from services.logistics.domain.sla import check_sla, is_delivery_late, is_dispatch_late
from services.logistics.domain.tracking import TrackingStatus
from shared.clock import ManualClock
from shared.contracts.logistics import DeliveryDeadlineMissed, DispatchDeadlineMissed

from .builders import FUNDED_AT, a_dispatched_shipment, a_shipment, carrier_event

DEADLINE = FUNDED_AT + timedelta(hours=72)
LATE_FROM = FUNDED_AT.replace(day=11, hour=7)  # end of 2026-03-10 in Los Angeles
SECOND = timedelta(seconds=1)


def delivered(shipment: Shipment, at: timedelta) -> Shipment:
    updated, _ = record_carrier_event(shipment, carrier_event("d", TrackingStatus.DELIVERED, LATE_FROM + at))
    return updated


def test_dispatch_is_late_only_after_the_deadline_passes_undispatched() -> None:
    shipment = a_shipment()
    assert not is_dispatch_late(shipment, DEADLINE)
    assert is_dispatch_late(shipment, DEADLINE + SECOND)


def test_dispatch_on_time_is_never_late() -> None:
    assert not is_dispatch_late(a_dispatched_shipment(at=DEADLINE), DEADLINE + timedelta(days=30))


def test_dispatch_after_the_deadline_stays_late() -> None:
    assert is_dispatch_late(a_dispatched_shipment(at=DEADLINE + SECOND), DEADLINE + timedelta(days=1))


def test_delivery_is_late_from_the_end_of_the_promised_local_day() -> None:
    shipment = a_dispatched_shipment()
    assert not is_delivery_late(shipment, LATE_FROM - SECOND)
    assert is_delivery_late(shipment, LATE_FROM)


def test_delivery_before_the_end_of_the_promised_day_is_never_late() -> None:
    assert not is_delivery_late(delivered(a_dispatched_shipment(), -SECOND), LATE_FROM + timedelta(days=9))


def test_delivery_after_the_promised_day_is_late() -> None:
    assert is_delivery_late(delivered(a_dispatched_shipment(), timedelta(0)), LATE_FROM)


def test_each_breach_is_reported_once() -> None:
    # given an undispatched shipment and a clock moving past both deadlines
    clock = ManualClock(FUNDED_AT)
    shipment = a_shipment()
    emitted = []
    for step in (timedelta(hours=71), timedelta(hours=2), timedelta(hours=1), timedelta(days=10)):
        clock.advance(step)
        shipment, events = check_sla(shipment, clock.now())
        emitted += events
    # then each deadline produced exactly one breach event
    assert [type(e) for e in emitted] == [DispatchDeadlineMissed, DeliveryDeadlineMissed]
    assert shipment.dispatch_breach_reported
    assert shipment.delivery_breach_reported


def test_breach_event_names_the_deadline_and_detection_time() -> None:
    now = DEADLINE + timedelta(minutes=5)
    _, events = check_sla(a_shipment(), now)
    assert events == [
        DispatchDeadlineMissed(
            order_id="order-1",
            shipment_id="shipment-1",
            buyer_id="buyer-1",
            supplier_id="supplier-1",
            guaranteed=True,
            dispatch_deadline=DEADLINE,
            detected_at=now,
        )
    ]


def test_sweep_before_any_deadline_changes_nothing() -> None:
    shipment = a_shipment()
    assert check_sla(shipment, DEADLINE) == (shipment, [])


def test_cancelled_shipment_has_no_deadlines() -> None:
    cancelled, _ = cancel_shipment(a_shipment(), FUNDED_AT + timedelta(hours=1))
    assert check_sla(cancelled, LATE_FROM + timedelta(days=1)) == (cancelled, [])
    assert cancelled.sla_due_at is None


def test_sla_due_date_moves_from_dispatch_deadline_to_delivery_deadline_to_none() -> None:
    assert a_shipment().sla_due_at == DEADLINE
    on_time = a_dispatched_shipment()
    assert on_time.sla_due_at == LATE_FROM
    assert delivered(on_time, -SECOND).sla_due_at is None


def test_late_dispatch_stays_due_until_its_breach_is_reported() -> None:
    late = a_dispatched_shipment(at=DEADLINE + SECOND)
    assert late.sla_due_at == DEADLINE
    reported, _ = check_sla(late, DEADLINE + timedelta(hours=1))
    assert reported.sla_due_at == LATE_FROM
