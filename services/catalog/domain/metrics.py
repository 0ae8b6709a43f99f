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
    """The facts the catalog has observed of one order of a supplier: the first of each group counted, the
    others it excluded (which change nothing that is judged by the group)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: str
    supplier_id: str
    facts: frozenset[OrderFact] = frozenset()

    def noting(self, fact: OrderFact) -> OrderRecord:
        return self.model_copy(update={"facts": self.facts | {fact}})


class Count(BaseModel):
    """What one observed fact adds to its supplier's metrics."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    supplier_id: str
    fact: OrderFact
    # The order's first counted fact: the supplier has one more order seen.
    new_order: bool


class SupplierMetrics(BaseModel):
    """Counts per fact plus the number of orders seen; rates are derived in basis points."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    supplier_id: str
    orders: int = Field(default=0, ge=0)
    counts: dict[OrderFact, int] = Field(default_factory=dict)

    def count(self, fact: OrderFact) -> int:
        return self.counts.get(fact, 0)

    def plus(self, count: Count) -> SupplierMetrics:
        counts = {**self.counts, count.fact: self.count(count.fact) + 1}
        return self.model_copy(update={"orders": self.orders + int(count.new_order), "counts": counts})

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


def counted(record: OrderRecord, fact: OrderFact) -> Count | None:
    """What `fact` counts, given the facts observed of its order before it; None when a fact of its group
    was observed before (repeated or excluded)."""
    group = next(g for g in _GROUPS if fact in g)
    if record.facts & group:
        return None
    return Count(supplier_id=record.supplier_id, fact=fact, new_order=not record.facts)


def observe(
    record: OrderRecord, metrics: SupplierMetrics, fact: OrderFact
) -> tuple[OrderRecord, SupplierMetrics]:
    """Count `fact` once per order; a repeated or excluded fact leaves the metrics unchanged."""
    count = counted(record, fact)
    return record.noting(fact), metrics if count is None else metrics.plus(count)
