"""Easy Return state machine: label_issued → in_transit → received; receipt triggers the refund."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.clock import UtcDateTime, require_utc
from shared.contracts.logistics import Parties, ReturnLabelIssued, ReturnReason, ReturnReceived
from shared.messaging.envelope import Event
from shared.money import Money

from .easy_return import ReturnableOrder, easy_return_eligibility
from .errors import NotEligibleForEasyReturnError, ReturnTransitionRefusedError, WrongReturnWarehouseError
from .policy import LogisticsPolicy


class ReturnStatus(StrEnum):
    LABEL_ISSUED = "label_issued"
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"


_ALLOWED: dict[ReturnStatus, frozenset[ReturnStatus]] = {
    ReturnStatus.LABEL_ISSUED: frozenset({ReturnStatus.IN_TRANSIT}),
    ReturnStatus.IN_TRANSIT: frozenset({ReturnStatus.RECEIVED}),
    ReturnStatus.RECEIVED: frozenset(),
}


class ReturnLabel(BaseModel):
    """A prepaid label to the local return warehouse, bought from the carrier by the adapter."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    carrier: str = Field(min_length=1)
    tracking_number: str = Field(min_length=1)
    warehouse_id: str = Field(min_length=1)


class EasyReturn(BaseModel):
    """Aggregate root: goods going back to the local warehouse (Easy Return, or a dispute decision's)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    return_id: str
    order_id: str
    shipment_id: str
    buyer_id: str
    supplier_id: str
    reason: ReturnReason
    label: ReturnLabel
    refund_amount: Money
    claim_id: str | None = None
    status: ReturnStatus = ReturnStatus.LABEL_ISSUED
    issued_at: UtcDateTime
    in_transit_at: UtcDateTime | None = None
    received_at: UtcDateTime | None = None


def _move(ret: EasyReturn, target: ReturnStatus) -> None:
    if target not in _ALLOWED[ret.status]:
        raise ReturnTransitionRefusedError(f"return {ret.return_id} cannot go from {ret.status} to {target}")


def require_easy_return(
    order: ReturnableOrder,
    reason: ReturnReason,
    *,
    already_returned: bool,
    now: datetime,
    policy: LogisticsPolicy,
) -> None:
    """NotEligibleForEasyReturnError, naming the reason, unless the order may have its free label."""
    decision = easy_return_eligibility(
        order, reason, already_returned=already_returned, now=now, policy=policy
    )
    if not decision.allowed:
        raise NotEligibleForEasyReturnError(
            f"order {order.order_id} is not eligible for Easy Return: {decision.reason}", decision.reason
        )


def issue_return_label(
    *,
    return_id: str,
    order: ReturnableOrder,
    reason: ReturnReason,
    label: ReturnLabel,
    already_returned: bool,
    now: datetime,
    policy: LogisticsPolicy,
) -> tuple[EasyReturn, list[Event]]:
    """Issue the free label when the order is eligible; NotEligibleForEasyReturnError names the reason."""
    require_easy_return(order, reason, already_returned=already_returned, now=now, policy=policy)
    ret = EasyReturn(
        return_id=return_id,
        order_id=order.order_id,
        shipment_id=order.shipment_id,
        buyer_id=order.buyer_id,
        supplier_id=order.supplier_id,
        reason=reason,
        label=label,
        refund_amount=order.value,
        issued_at=require_utc(now),
    )
    return ret, [_label_issued(ret)]


def issue_dispute_return_label(
    *, return_id: str, claim_id: str, order: ReturnableOrder, label: ReturnLabel, now: datetime
) -> tuple[EasyReturn, list[Event]]:
    """A dispute decision requires the goods back: no eligibility test, and the decision pays the refund."""
    ret = EasyReturn(
        return_id=return_id,
        order_id=order.order_id,
        shipment_id=order.shipment_id,
        buyer_id=order.buyer_id,
        supplier_id=order.supplier_id,
        reason=ReturnReason.DISPUTE_DECISION,
        label=label,
        refund_amount=Money.zero(order.value.currency),
        claim_id=claim_id,
        issued_at=require_utc(now),
    )
    return ret, [_label_issued(ret)]


def _label_issued(ret: EasyReturn) -> ReturnLabelIssued:
    return ReturnLabelIssued(
        **_parties(ret),
        return_id=ret.return_id,
        reason=ret.reason,
        claim_id=ret.claim_id,
        carrier=ret.label.carrier,
        tracking_number=ret.label.tracking_number,
        warehouse_id=ret.label.warehouse_id,
        issued_at=ret.issued_at,
    )


def mark_return_in_transit(ret: EasyReturn, now: datetime) -> tuple[EasyReturn, list[Event]]:
    """The carrier picked the return up."""
    _move(ret, ReturnStatus.IN_TRANSIT)
    moved = ret.model_copy(update={"status": ReturnStatus.IN_TRANSIT, "in_transit_at": require_utc(now)})
    return moved, []


def receive_return(ret: EasyReturn, *, warehouse_id: str, now: datetime) -> tuple[EasyReturn, list[Event]]:
    """The label's warehouse scanned the parcel: the refund is now owed."""
    if warehouse_id != ret.label.warehouse_id:
        raise WrongReturnWarehouseError(f"return {ret.return_id} is addressed to {ret.label.warehouse_id}")
    _move(ret, ReturnStatus.RECEIVED)
    received_at = require_utc(now)
    received = ret.model_copy(update={"status": ReturnStatus.RECEIVED, "received_at": received_at})
    event = ReturnReceived(
        **_parties(ret),
        return_id=ret.return_id,
        claim_id=ret.claim_id,
        warehouse_id=warehouse_id,
        refund_amount=ret.refund_amount,
        received_at=received_at,
    )
    return received, [event]


def _parties(ret: EasyReturn) -> Parties:
    return Parties(
        order_id=ret.order_id, shipment_id=ret.shipment_id, buyer_id=ret.buyer_id, supplier_id=ret.supplier_id
    )
