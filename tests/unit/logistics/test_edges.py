"""Logistics' numbers of PRODUCT.md §3 pinned at their edges: the boundary itself and one step either side."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.logistics.domain.easy_return import EligibilityReason
from services.logistics.domain.sla import check_sla, is_delivery_late, is_dispatch_late
from shared.contracts.logistics import DeliveryDeadlineMissed, DispatchDeadlineMissed

from .builders import a_dispatched_shipment, a_shipment, usd
from .test_easy_return import an_order, decide

INSTANT = timedelta(microseconds=1)
DAY = timedelta(days=1)


@pytest.mark.parametrize(("offset", "on_time"), [(-INSTANT, True), (timedelta(0), True), (INSTANT, False)])
def test_a_dispatch_at_its_deadline_is_on_time(offset: timedelta, on_time: bool) -> None:
    # Given a shipment dispatched at its deadline + offset
    deadline = a_shipment().promise.dispatch_deadline
    shipment = a_dispatched_shipment(at=deadline + offset)

    # Then it is on time up to and including the deadline, and the monitor reports only a late one
    assert shipment.dispatched_on_time() is on_time
    _, events = check_sla(shipment, deadline + DAY)
    assert any(isinstance(event, DispatchDeadlineMissed) for event in events) is not on_time


@pytest.mark.parametrize(("offset", "late"), [(-INSTANT, False), (timedelta(0), False), (INSTANT, True)])
def test_an_undispatched_shipment_is_late_once_its_deadline_has_passed(offset: timedelta, late: bool) -> None:
    shipment = a_shipment()
    now = shipment.promise.dispatch_deadline + offset
    assert is_dispatch_late(shipment, now) is late
    _, events = check_sla(shipment, now)
    assert [type(event) for event in events] == ([DispatchDeadlineMissed] if late else [])


@pytest.mark.parametrize(("offset", "late"), [(-INSTANT, False), (timedelta(0), True), (INSTANT, True)])
def test_an_undelivered_shipment_is_late_from_delivery_late_from(offset: timedelta, late: bool) -> None:
    shipment = a_dispatched_shipment()
    now = shipment.promise.delivery_late_from + offset
    assert is_delivery_late(shipment, now) is late
    _, events = check_sla(shipment, now)
    assert [type(event) for event in events] == ([DeliveryDeadlineMissed] if late else [])


@pytest.mark.parametrize(("offset", "on_time"), [(-INSTANT, True), (timedelta(0), False), (INSTANT, False)])
def test_a_delivery_at_delivery_late_from_is_late(offset: timedelta, on_time: bool) -> None:
    shipment = a_dispatched_shipment()
    delivered = shipment.model_copy(update={"delivered_at": shipment.promise.delivery_late_from + offset})
    assert delivered.delivered_on_time() is on_time


@pytest.mark.parametrize(
    ("product", "reason"),
    [
        ("2499.99", EligibilityReason.ELIGIBLE),
        ("2500.00", EligibilityReason.ELIGIBLE),
        ("2500.01", EligibilityReason.VALUE_ABOVE_CAP),
    ],
)
def test_easy_return_covers_orders_up_to_3000_dollars_with_shipping(
    product: str, reason: EligibilityReason
) -> None:
    # Given shipping of 500.00, so the order is worth product + 500.00
    order = an_order(product_total=usd(product), shipping_total=usd("500.00"))
    assert decide(order).reason is reason


@pytest.mark.parametrize(
    ("after", "reason"),
    [
        (30 * DAY - INSTANT, EligibilityReason.ELIGIBLE),
        (30 * DAY, EligibilityReason.ELIGIBLE),
        (30 * DAY + INSTANT, EligibilityReason.WINDOW_CLOSED),
    ],
)
def test_easy_return_is_open_until_30_days_after_delivery(
    after: timedelta, reason: EligibilityReason
) -> None:
    assert decide(now_after_delivery=after).reason is reason
