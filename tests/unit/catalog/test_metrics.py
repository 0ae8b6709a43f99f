"""Supplier metrics count each order's facts once, whatever event order or duplicates arrive."""

from __future__ import annotations

import pytest

from services.catalog.domain.metrics import (
    OrderFact,
    OrderRecord,
    SupplierMetrics,
    counted,
    delivery_fact,
    dispatch_fact,
    observe,
    rate_bps,
)
from tests.unit.catalog.builders import DAY, NOW


def observe_all(*orders: tuple[str, list[OrderFact]]) -> SupplierMetrics:
    metrics = SupplierMetrics(supplier_id="sup-1")
    for order_id, facts in orders:
        record = OrderRecord(order_id=order_id, supplier_id="sup-1")
        for fact in facts:
            record, metrics = observe(record, metrics, fact)
    return metrics


def test_dispatch_on_or_before_the_deadline_is_on_time() -> None:
    assert dispatch_fact(NOW, NOW) is OrderFact.DISPATCHED_ON_TIME
    assert dispatch_fact(NOW + DAY, NOW) is OrderFact.DISPATCHED_LATE
    assert delivery_fact(NOW - DAY, NOW) is OrderFact.DELIVERED_ON_TIME


def test_on_time_dispatch_rate_is_the_share_of_dispatched_orders() -> None:
    metrics = observe_all(
        ("o1", [OrderFact.DISPATCHED_ON_TIME]),
        ("o2", [OrderFact.DISPATCHED_ON_TIME]),
        ("o3", [OrderFact.DISPATCHED_ON_TIME]),
        ("o4", [OrderFact.DISPATCHED_LATE]),
    )
    assert metrics.on_time_dispatch_bps == 7_500


def test_a_missed_deadline_then_the_late_dispatch_count_as_one_late_dispatch() -> None:
    metrics = observe_all(("o1", [OrderFact.DISPATCHED_LATE, OrderFact.DISPATCHED_LATE]))
    assert metrics.count(OrderFact.DISPATCHED_LATE) == 1
    assert metrics.on_time_dispatch_bps == 0


def test_a_repeated_fact_is_counted_once() -> None:
    metrics = observe_all(("o1", [OrderFact.DISPUTED, OrderFact.DISPUTED, OrderFact.COMPLETED]))
    assert (metrics.orders, metrics.count(OrderFact.DISPUTED), metrics.completed_orders) == (1, 1, 1)


def test_dispute_and_refund_rates_are_per_order_seen() -> None:
    metrics = observe_all(
        ("o1", [OrderFact.DISPATCHED_ON_TIME, OrderFact.DISPUTED, OrderFact.REFUNDED]),
        ("o2", [OrderFact.DISPATCHED_ON_TIME, OrderFact.COMPLETED]),
        ("o3", [OrderFact.DELIVERED_LATE]),
        ("o4", [OrderFact.DELIVERED_ON_TIME, OrderFact.COMPLETED]),
    )
    assert metrics.orders == 4
    assert (metrics.dispute_rate_bps, metrics.refund_rate_bps) == (2_500, 2_500)
    assert metrics.on_time_delivery_bps == 5_000
    assert metrics.completed_orders == 2


def test_rates_are_unknown_before_any_order() -> None:
    metrics = SupplierMetrics(supplier_id="sup-1")
    assert (metrics.on_time_dispatch_bps, metrics.dispute_rate_bps) == (None, None)


def test_metrics_survive_a_storage_round_trip() -> None:
    metrics = observe_all(("o1", [OrderFact.DISPUTED]))
    assert SupplierMetrics.model_validate(metrics.model_dump(mode="json")) == metrics


def test_a_delivery_after_its_deadline_is_late() -> None:
    assert delivery_fact(NOW, NOW) is OrderFact.DELIVERED_ON_TIME
    assert delivery_fact(NOW + DAY, NOW) is OrderFact.DELIVERED_LATE


@pytest.mark.parametrize(
    ("part", "whole", "bps"), [(1, 2, 5_000), (1, 3, 3_333), (2, 3, 6_666), (3, 3, 10_000)]
)
def test_rates_are_whole_basis_points_rounded_down(part: int, whole: int, bps: int) -> None:
    assert rate_bps(part, whole) == bps


def test_a_fact_excluded_by_its_group_counts_nothing_though_the_order_notes_it() -> None:
    # The store notes every observed fact in one write, excluded ones too: what counts is judged by group.
    record = OrderRecord(order_id="o1", supplier_id="sup-1").noting(OrderFact.DISPATCHED_LATE)
    assert counted(record.noting(OrderFact.DISPATCHED_ON_TIME), OrderFact.DISPATCHED_ON_TIME) is None
    assert counted(record, OrderFact.DISPATCHED_ON_TIME) is None
    delivered = counted(record.noting(OrderFact.DISPATCHED_ON_TIME), OrderFact.DELIVERED_ON_TIME)
    assert delivered is not None
    assert not delivered.new_order


def test_only_the_first_counted_fact_of_an_order_adds_an_order_seen() -> None:
    fresh = OrderRecord(order_id="o1", supplier_id="sup-1")
    first = counted(fresh, OrderFact.DISPUTED)
    assert first is not None
    assert first.new_order
    metrics = SupplierMetrics(supplier_id="sup-1").plus(first)
    assert (metrics.orders, metrics.count(OrderFact.DISPUTED)) == (1, 1)
