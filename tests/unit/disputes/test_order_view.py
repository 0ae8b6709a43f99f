"""The order read model follows escrow and logistics facts, and repeated facts change nothing."""

from __future__ import annotations

from datetime import timedelta

from services.disputes.domain.orders import (
    Deadline,
    OrderView,
    record_cancellation,
    record_compensation,
    record_deadline_missed,
    record_delivery,
    record_dispatch,
    record_frozen,
    record_refund,
)
from tests.unit.disputes.factories import NOW, funded_order, usd


def test_funded_order_has_everything_paid_still_refundable() -> None:
    # given / when
    order = funded_order(paid=usd(50_000))

    # then
    assert order.refunded == usd(0)
    assert order.refundable == usd(50_000)


def test_refunds_reduce_what_is_still_refundable() -> None:
    # given
    order = funded_order(paid=usd(50_000))

    # when
    order = record_refund(order, "refund-1", usd(20_000))

    # then
    assert order.refundable == usd(30_000)


def test_a_redelivered_refund_fact_is_counted_once() -> None:
    # given
    order = record_refund(funded_order(paid=usd(50_000)), "refund-1", usd(20_000))

    # when
    again = record_refund(order, "refund-1", usd(20_000))

    # then
    assert again.refunded == usd(20_000)


def test_first_delivery_fact_starts_the_window_and_duplicates_do_not_move_it() -> None:
    # given
    order = record_delivery(funded_order(), NOW)

    # when
    later = record_delivery(order, NOW + timedelta(days=3))

    # then
    assert later.delivered_at == NOW


def test_first_dispatch_fact_counts() -> None:
    # given
    order = record_dispatch(funded_order(), NOW)

    # when
    later = record_dispatch(order, NOW + timedelta(hours=5))

    # then
    assert later.dispatched_at == NOW


def test_freeze_and_cancellation_flags_follow_escrow() -> None:
    # given
    order = funded_order()

    # when
    frozen = record_frozen(order, True)
    thawed_and_cancelled = record_cancellation(record_frozen(frozen, False))

    # then
    assert frozen.frozen
    assert not thawed_and_cancelled.frozen
    assert thawed_and_cancelled.cancelled


def test_order_view_survives_a_round_trip_through_a_json_document() -> None:
    # given
    order = record_refund(record_delivery(funded_order(), NOW), "refund-1", usd(1_000))

    # when
    stored = OrderView.model_validate(order.model_dump(mode="json"))

    # then
    assert stored == order


def test_a_missed_deadline_is_recorded_once_however_often_logistics_reports_it() -> None:
    # given a funded order
    order = funded_order()
    # when logistics reports the missed dispatch twice, then the missed delivery
    once = record_deadline_missed(order, Deadline.DISPATCH)
    again = record_deadline_missed(once, Deadline.DISPATCH)
    both = record_deadline_missed(again, Deadline.DELIVERY)
    # then each miss is recorded once
    assert once.missed_deadlines == again.missed_deadlines == (Deadline.DISPATCH,)
    assert both.missed_deadlines == (Deadline.DISPATCH, Deadline.DELIVERY)


def test_the_on_time_guarantee_compensation_escrow_paid_is_recorded() -> None:
    # given a funded order not compensated yet
    order = funded_order()
    assert not order.compensated

    # when escrow reports the compensation paid
    compensated = record_compensation(order)

    # then the view knows
    assert compensated.compensated
