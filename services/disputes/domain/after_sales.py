"""After-sales service requests for products sold with after-sales labels, and their SLA."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict

from services.disputes.domain.claim import Claim
from services.disputes.domain.claim_opening import open_platform_case
from services.disputes.domain.errors import (
    AfterSalesNotOfferedError,
    AfterSalesSlaPassedError,
    AfterSalesTransitionRefusedError,
    NotOrderBuyerError,
    NotOrderSupplierError,
    OrderNotDeliveredError,
)
from services.disputes.domain.orders import OrderView
from services.disputes.domain.policy import DisputesPolicy
from shared.contracts.catalog import AfterSalesLabel
from shared.contracts.disputes import AfterSalesFulfilled, AfterSalesRequested, ClaimReason, RequestedOutcome
from shared.messaging.envelope import Event


class AfterSalesStatus(StrEnum):
    OPEN = "open"
    FULFILLED = "fulfilled"
    CONVERTED_TO_CLAIM = "converted_to_claim"


class AfterSalesRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    request_id: str
    order_id: str
    buyer_id: str
    supplier_id: str
    label: AfterSalesLabel
    description: str
    requested_at: AwareDatetime
    due_at: AwareDatetime
    status: AfterSalesStatus = AfterSalesStatus.OPEN
    fulfilled_at: AwareDatetime | None = None
    claim_id: str | None = None

    @property
    def timer_due_at(self) -> datetime | None:
        """When the SLA timer fires; None once the request is settled either way."""
        return self.due_at if self.status is AfterSalesStatus.OPEN else None


def request_after_sales(
    order: OrderView,
    *,
    request_id: str,
    buyer_id: str,
    label: AfterSalesLabel,
    description: str,
    now: datetime,
    policy: DisputesPolicy,
) -> tuple[AfterSalesRequest, list[Event]]:
    """The buyer of a delivered order asks for a service its product was sold with."""
    if buyer_id != order.buyer_id:
        raise NotOrderBuyerError(f"{buyer_id} is not the buyer of order {order.order_id}")
    if label not in order.after_sales_labels:
        raise AfterSalesNotOfferedError(f"order {order.order_id} was not sold with {label.value}")
    if order.delivered_at is None:
        raise OrderNotDeliveredError(f"order {order.order_id} has not been delivered")
    request = AfterSalesRequest(
        request_id=request_id,
        order_id=order.order_id,
        buyer_id=order.buyer_id,
        supplier_id=order.supplier_id,
        label=label,
        description=description,
        requested_at=now,
        due_at=now + timedelta(days=policy.after_sales_sla_days),
    )
    requested = AfterSalesRequested(
        request_id=request_id,
        order_id=order.order_id,
        buyer_id=order.buyer_id,
        supplier_id=order.supplier_id,
        label=label,
        due_at=request.due_at,
    )
    return request, [requested]


def fulfil_after_sales(
    request: AfterSalesRequest, *, supplier_id: str, now: datetime
) -> tuple[AfterSalesRequest, list[Event]]:
    """The supplier reports the service done, within its SLA."""
    if supplier_id != request.supplier_id:
        raise NotOrderSupplierError(f"{supplier_id} is not the supplier of order {request.order_id}")
    if request.status is not AfterSalesStatus.OPEN:
        raise AfterSalesTransitionRefusedError(
            f"after-sales request {request.request_id} is {request.status.value}"
        )
    if now >= request.due_at:
        raise AfterSalesSlaPassedError(f"the service was due by {request.due_at}")
    fulfilled = AfterSalesFulfilled(
        request_id=request.request_id, order_id=request.order_id, supplier_id=supplier_id, fulfilled_at=now
    )
    return request.model_copy(update={"status": AfterSalesStatus.FULFILLED, "fulfilled_at": now}), [fulfilled]


def convert_overdue_request(
    request: AfterSalesRequest,
    order: OrderView,
    *,
    claim_id: str,
    open_claims: Sequence[Claim],
    now: datetime,
    policy: DisputesPolicy,
) -> tuple[AfterSalesRequest, Claim | None, list[Event]]:
    """Past its SLA, an open request becomes an after_sales_not_provided claim; otherwise nothing happens."""
    if request.timer_due_at is None or now < request.timer_due_at:
        return request, None, []
    existing = next(
        (c for c in open_claims if c.is_open and c.reason is ClaimReason.AFTER_SALES_NOT_PROVIDED), None
    )
    # One open claim per order and reason: a second overdue request joins the claim already running.
    if existing is not None:
        return _converted(request, existing.claim_id), None, []
    claim, opened = open_platform_case(
        order,
        claim_id=claim_id,
        reason=ClaimReason.AFTER_SALES_NOT_PROVIDED,
        source=f"after_sales_request:{request.request_id}",
        description=request.description,
        open_claims=open_claims,
        now=now,
        policy=policy,
        requested_outcome=RequestedOutcome.AFTER_SALES_SERVICE,
    )
    return _converted(request, claim.claim_id), claim, list(opened)


def _converted(request: AfterSalesRequest, claim_id: str) -> AfterSalesRequest:
    return request.model_copy(update={"status": AfterSalesStatus.CONVERTED_TO_CLAIM, "claim_id": claim_id})
