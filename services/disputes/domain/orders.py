"""Disputes' read model of an order, kept up to date from escrow and logistics facts by pure functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.catalog import AfterSalesLabel
from shared.contracts.escrow import BuyerTier
from shared.money import Money


class Deadline(StrEnum):
    """The two promises of the on-time delivery guarantee."""

    DISPATCH = "dispatch"
    DELIVERY = "delivery"


class OrderView(BaseModel):
    """What a claim needs to know about an order, without calling escrow."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: str
    buyer_id: str
    supplier_id: str
    buyer_tier: BuyerTier
    paid: Money
    refunded: Money
    applied_refund_ids: tuple[str, ...] = ()
    funded_at: AwareDatetime
    dispatch_deadline: AwareDatetime | None = None
    promised_delivery_at: AwareDatetime | None = None
    dispatched_at: AwareDatetime | None = None
    delivered_at: AwareDatetime | None = None
    after_sales_labels: tuple[AfterSalesLabel, ...] = ()
    # Escrow's money-back window (`order_funded.protection`): escrow owns it, disputes only applies it.
    protection_window_days: int = Field(ge=0, description="Escrow's money-back window, days after delivery.")
    missed_deadlines: tuple[Deadline, ...] = ()
    compensated: bool = False
    frozen: bool = False
    cancelled: bool = False

    @property
    def refundable(self) -> Money:
        """What may still be refunded: paid minus everything refunded so far."""
        return self.paid - self.refunded


@dataclass(frozen=True)
class OrderRecord:
    """Everything disputes keeps about one order; `view` is None until escrow reports it funded."""

    order_id: str
    version: int
    view: OrderView | None
    contract: dict[str, Any] = field(default_factory=dict)
    tracking: list[dict[str, Any]] = field(default_factory=list)
    inspections: list[dict[str, Any]] = field(default_factory=list)


def record_order_funded(
    *,
    order_id: str,
    buyer_id: str,
    supplier_id: str,
    buyer_tier: BuyerTier,
    paid: Money,
    funded_at: datetime,
    dispatch_deadline: datetime | None = None,
    promised_delivery_at: datetime | None = None,
    after_sales_labels: tuple[AfterSalesLabel, ...] = (),
    protection_window_days: int,
) -> OrderView:
    """Start the read model when escrow reports the order funded (the contract terms travel with it)."""
    return OrderView(
        order_id=order_id,
        buyer_id=buyer_id,
        supplier_id=supplier_id,
        buyer_tier=buyer_tier,
        paid=paid,
        refunded=Money.zero(paid.currency),
        funded_at=funded_at,
        dispatch_deadline=dispatch_deadline,
        promised_delivery_at=promised_delivery_at,
        after_sales_labels=after_sales_labels,
        protection_window_days=protection_window_days,
    )


# The shipment facts of which the first report counts: a duplicate or late copy must not move them (the
# delivery starts the protection window). `record_dispatch` and `record_delivery` state the rule; the
# MongoDB adapter applies it in the update itself (`OrderRepository.note_first`).
FirstReport = Literal["dispatched_at", "delivered_at"]


def record_first(order: OrderView, fact: FirstReport, at: datetime) -> OrderView:
    """The first report of `fact` counts; a duplicate or late-arriving copy changes nothing."""
    if getattr(order, fact) is not None:
        return order
    return order.model_copy(update={fact: at})


def record_dispatch(order: OrderView, dispatched_at: datetime) -> OrderView:
    """The first dispatch counts; a duplicate or late-arriving copy changes nothing."""
    return record_first(order, "dispatched_at", dispatched_at)


def record_delivery(order: OrderView, delivered_at: datetime) -> OrderView:
    """The first delivery starts the protection window; duplicates must not move it."""
    return record_first(order, "delivered_at", delivered_at)


def record_refund(order: OrderView, refund_id: str, amount: Money) -> OrderView:
    """Add a refund once per refund id, so a redelivered event cannot double-count it."""
    if refund_id in order.applied_refund_ids:
        return order
    return order.model_copy(
        update={
            "refunded": order.refunded + amount,
            "applied_refund_ids": (*order.applied_refund_ids, refund_id),
        }
    )


def record_frozen(order: OrderView, frozen: bool) -> OrderView:
    return order.model_copy(update={"frozen": frozen})


def record_cancellation(order: OrderView) -> OrderView:
    return order.model_copy(update={"cancelled": True})


def record_deadline_missed(order: OrderView, deadline: Deadline) -> OrderView:
    """Logistics' SLA monitor established the miss; repeats change nothing."""
    if deadline in order.missed_deadlines:
        return order
    return order.model_copy(update={"missed_deadlines": (*order.missed_deadlines, deadline)})


def record_compensation(order: OrderView) -> OrderView:
    """Escrow paid the on-time-guarantee compensation (one per order)."""
    return order.model_copy(update={"compensated": True})
