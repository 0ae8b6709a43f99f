"""Query and page models of the disputes lists: claims, the mediation queue, after-sales requests."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from services.disputes.api.models import AfterSalesRequestView, ClaimStaffView, ClaimView
from services.disputes.domain.after_sales import AfterSalesStatus
from services.disputes.domain.claim import Claim, ClaimStage, ClaimStatus
from services.disputes.domain.next_action import claim_next_action
from shared.clock import UtcDateTime
from shared.contracts.disputes import ClaimReason, RequestedOutcome
from shared.http.pages import Page, PageQuery
from shared.money import Money
from shared.next_action import NextAction
from shared.paging import any_of
from shared.text import Identifier

PartyId = Field(default=None, description="Inside the caller's own items.")


class ClaimSort(StrEnum):
    DEADLINE = "deadline"
    NEWEST = "newest"


class ClaimListQuery(PageQuery):
    """Filters combine (AND); a repeated `status` means any of them."""

    status: list[ClaimStatus] | None = Field(default=None, max_length=len(ClaimStatus), fail_fast=True)
    stage: ClaimStage | None = None
    reason: ClaimReason | None = None
    buyer_id: Identifier | None = PartyId
    supplier_id: Identifier | None = PartyId
    sort: ClaimSort | None = Field(
        default=None,
        description="`deadline`: the next action's due time, soonest first, then claims waiting on no "
        "deadline, then closed ones (default for buyers and suppliers); `newest`: latest opened first "
        "(default for mediators).",
    )

    def filters(self) -> dict[str, Any]:
        return {
            "status": any_of(self.status),
            "stage": self.stage,
            "reason": self.reason,
            "buyer_id": self.buyer_id,
            "supplier_id": self.supplier_id,
        }


class ClaimPage(Page[ClaimView]):
    """Claims, each with its next action."""


class ClaimStaffPage(Page[ClaimStaffView]):
    """Claims as mediators see them, with the mediator who took each."""


class MediationQueueQuery(PageQuery):
    status: Literal["escalated", "under_mediation"] | None = Field(
        default=None, description="`escalated`: waiting for a mediator; `under_mediation`: taken."
    )
    reason: ClaimReason | None = None
    sort: Literal["oldest"] = Field(default="oldest", description="Escalated longest ago first.")

    def filters(self) -> dict[str, str | None]:
        return {"status": self.status, "reason": self.reason}


class QueuedClaim(BaseModel):
    """An escalated claim as the mediation desk triages it."""

    claim_id: str
    order_id: str
    buyer_id: str
    supplier_id: str
    reason: ClaimReason
    requested_outcome: RequestedOutcome
    amount: Money = Field(description="What the buyer claims, in the order's currency.")
    status: ClaimStatus
    opened_at: UtcDateTime
    escalated_at: UtcDateTime
    age_seconds: int = Field(ge=0, description="Time since escalation, in whole seconds.")
    mediator_id: str | None
    next_action: NextAction | None

    @classmethod
    def of(cls, claim: Claim, now: datetime) -> QueuedClaim:
        assert claim.escalated_at is not None  # the mediation stage is reached only by escalation
        return cls(
            claim_id=claim.claim_id,
            order_id=claim.order_id,
            buyer_id=claim.buyer_id,
            supplier_id=claim.supplier_id,
            reason=claim.reason,
            requested_outcome=claim.requested_outcome,
            amount=claim.amount,
            status=claim.status,
            opened_at=claim.opened_at,
            escalated_at=claim.escalated_at,
            age_seconds=max(0, int((now - claim.escalated_at).total_seconds())),
            mediator_id=claim.mediator_id,
            next_action=claim_next_action(claim),
        )


class MediationQueuePage(Page[QueuedClaim]):
    """The mediation desk's queue."""


class AfterSalesListQuery(PageQuery):
    """Filters combine (AND); a repeated `status` means any of them."""

    status: list[AfterSalesStatus] | None = Field(
        default=None, max_length=len(AfterSalesStatus), fail_fast=True
    )
    buyer_id: Identifier | None = PartyId
    supplier_id: Identifier | None = PartyId
    sort: Literal["sla_due"] = Field(default="sla_due", description="SLA due time, soonest first.")

    def filters(self) -> dict[str, Any]:
        return {"status": any_of(self.status), "buyer_id": self.buyer_id, "supplier_id": self.supplier_id}


class AfterSalesRequestPage(Page[AfterSalesRequestView]):
    """After-sales requests, each with the SLA the supplier fulfils it by."""
