"""Supplier performance metrics kept from other services' events, idempotently per order."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class OrderFact(StrEnum):
    DISPATCHED_ON_TIME = "dispatched_on_time"
    DISPATCHED_LATE = "dispatched_late"
    DELIVERED_ON_TIME = "delivered_on_time"
    DELIVERED_LATE = "delivered_late"
    DISPUTED = "disputed"
    REFUNDED = "refunded"
    COMPLETED = "completed"


# Facts of one group exclude each other: the first one observed for an order is the one that counts,
# so a missed deadline followed by the late dispatch itself is one late dispatch, not two.
_GROUPS: tuple[frozenset[OrderFact], ...] = (
    frozenset({OrderFact.DISPATCHED_ON_TIME, OrderFact.DISPATCHED_LATE}),
    frozenset({OrderFact.DELIVERED_ON_TIME, OrderFact.DELIVERED_LATE}),
    frozenset({OrderFact.DISPUTED}),
    frozenset({OrderFact.REFUNDED}),
    frozenset({OrderFact.COMPLETED}),
)


class OrderRecord(BaseModel):
    """What the catalog has counted for one order of a supplier."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: str
    supplier_id: str
    facts: frozenset[OrderFact] = frozenset()


class SupplierMetrics(BaseModel):
    """Counts per fact plus the number of orders seen; rates are derived in basis points."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    supplier_id: str
    orders: int = Field(default=0, ge=0)
    counts: dict[OrderFact, int] = Field(default_factory=dict)

    def count(self, fact: OrderFact) -> int:
        return self.counts.get(fact, 0)

    @property
    def completed_orders(self) -> int:
        return self.count(OrderFact.COMPLETED)

    @property
    def on_time_dispatch_bps(self) -> int | None:
        return _share_bps(self.count(OrderFact.DISPATCHED_ON_TIME), self.count(OrderFact.DISPATCHED_LATE))

    @property
    def on_time_delivery_bps(self) -> int | None:
        return _share_bps(self.count(OrderFact.DELIVERED_ON_TIME), self.count(OrderFact.DELIVERED_LATE))

    @property
    def on_time_bps(self) -> int | None:
        """What search ranks on: on-time delivery once any delivery is known, else on-time dispatch.

        The only part of the metrics in the supplier's standing (`listing.standing`)."""
        delivery = self.on_time_delivery_bps
        return delivery if delivery is not None else self.on_time_dispatch_bps

    @property
    def dispute_rate_bps(self) -> int | None:
        return rate_bps(self.count(OrderFact.DISPUTED), self.orders)

    @property
    def refund_rate_bps(self) -> int | None:
        return rate_bps(self.count(OrderFact.REFUNDED), self.orders)


def rate_bps(part: int, whole: int) -> int | None:
    """part / whole in basis points, rounded down; None when nothing has been observed."""
    return part * 10_000 // whole if whole else None


def _share_bps(hits: int, misses: int) -> int | None:
    return rate_bps(hits, hits + misses)


def on_time(happened_at: datetime, deadline: datetime) -> bool:
    return happened_at <= deadline


def dispatch_fact(dispatched_at: datetime, deadline: datetime) -> OrderFact:
    """From `shipment_dispatched`; a `dispatch_deadline_missed` event maps to DISPATCHED_LATE directly."""
    return OrderFact.DISPATCHED_ON_TIME if on_time(dispatched_at, deadline) else OrderFact.DISPATCHED_LATE


def delivery_fact(delivered_at: datetime, deadline: datetime) -> OrderFact:
    return OrderFact.DELIVERED_ON_TIME if on_time(delivered_at, deadline) else OrderFact.DELIVERED_LATE


def observe(
    record: OrderRecord, metrics: SupplierMetrics, fact: OrderFact
) -> tuple[OrderRecord, SupplierMetrics]:
    """Count `fact` once per order; a repeated or excluded fact leaves both unchanged."""
    group = next(g for g in _GROUPS if fact in g)
    if record.facts & group:
        return record, metrics
    counts = {**metrics.counts, fact: metrics.count(fact) + 1}
    orders = metrics.orders + (0 if record.facts else 1)
    updated = metrics.model_copy(update={"orders": orders, "counts": counts})
    return record.model_copy(update={"facts": record.facts | {fact}}), updated
