"""Request and response models of the disputes HTTP API (inputs forbid unknown fields)."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

from services.disputes.api.access import CLAIMS
from services.disputes.domain.after_sales import AfterSalesRequest, AfterSalesStatus
from services.disputes.domain.claim import (
    Claim,
    ClaimStage,
    ClaimStatus,
    EvidenceRequest,
    Offer,
)
from services.disputes.domain.conversation import (
    AuthorRole,
    RecordKind,
    Sha256Hex,
    StoredRecord,
    VerifyResult,
)
from services.disputes.domain.mediation import Favour, MediationDecision
from services.disputes.domain.next_action import after_sales_next_action, claim_next_action
from shared.clock import UtcDateTime
from shared.contracts.catalog import AfterSalesLabel
from shared.contracts.disputes import (
    ClaimOpener,
    ClaimReason,
    EvidenceParty,
    OffPlatformMatch,
    RequestedOutcome,
    SettledBy,
    SettlementKind,
)
from shared.money import Money
from shared.next_action import NextAction
from shared.security.jwt import Principal
from shared.text import Identifier, PlainText

Text = Field(min_length=1, max_length=4000)
# A deadline beyond a year is no deadline for a dispute.
MAX_RESPONSE_DAYS = 365


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OpenClaim(Input):
    order_id: Identifier
    reason: ClaimReason
    requested_outcome: RequestedOutcome
    amount: Money | None = Field(default=None, description="Required for partial refunds; ≤ what was paid.")
    description: PlainText = Text


class MakeOffer(Input):
    outcome: RequestedOutcome
    refund: Money | None = None
    note: PlainText = Field(default="", max_length=4000)


class RequestEvidence(Input):
    party: EvidenceParty
    description: PlainText = Text
    respond_within_days: int | None = Field(default=None, ge=1, le=MAX_RESPONSE_DAYS)


class DecideClaim(Input):
    """What the mediator decides; `refund` is required for a partial refund and absent otherwise."""

    favour: Favour
    refund: Money | None = None
    return_required: bool = False
    rationale: PlainText = Text

    def decision(self) -> MediationDecision:
        return MediationDecision(
            favour=self.favour,
            refund=self.refund,
            return_required=self.return_required,
            rationale=self.rationale,
        )


class PostMessage(Input):
    body: PlainText = Text
    attachment_hashes: tuple[Sha256Hex, ...] = Field(fail_fast=True, default=(), max_length=20)


class SubmitEvidence(PostMessage):
    request_id: Identifier | None = Field(
        default=None, description="The evidence request this answers, if any."
    )


class RequestAfterSales(Input):
    label: AfterSalesLabel
    description: PlainText = Text


class SettlementView(BaseModel):
    """A claim's one outcome as its parties see it: what, how much, how it was reached; not by whom."""

    kind: SettlementKind
    refund: Money
    return_required: bool
    settled_by: SettledBy
    rationale: str
    settled_at: UtcDateTime


class SettlementStaffView(SettlementView):
    """The outcome as mediators see it: with the id of who decided it."""

    decided_by: str


class ClaimView(BaseModel):
    """A buyer's (or the platform's) claim on one order for one reason, with its deadlines and outcome.

    The view of the order's parties: staff ids (the mediator, who decided) are for mediators only."""

    claim_id: str
    order_id: str
    buyer_id: str
    supplier_id: str
    reason: ClaimReason
    requested_outcome: RequestedOutcome
    amount: Money
    description: str
    opened_by: ClaimOpener
    source: str | None = None
    opened_at: UtcDateTime
    supplier_response_due_at: UtcDateTime
    buyer_may_escalate_at: UtcDateTime
    auto_escalation_at: UtcDateTime
    status: ClaimStatus
    stage: ClaimStage
    offer: Offer | None = None
    escalated_at: UtcDateTime | None = None
    evidence_requests: tuple[EvidenceRequest, ...] = ()
    settlement: SettlementView | None = None
    closed_at: UtcDateTime | None = None
    timer_due_at: UtcDateTime | None = None
    next_action: NextAction | None = Field(description="Who acts next, how, by when; null once closed.")

    @classmethod
    def of(cls, claim: Claim) -> Self:
        return cls.model_validate(
            {**claim.model_dump(), "stage": claim.stage, "next_action": claim_next_action(claim)}
        )


class ClaimStaffView(ClaimView):
    """A claim as mediators see it: with the mediator who took it and who decided its outcome."""

    mediator_id: str | None = None
    settlement: SettlementStaffView | None = None


def claim_view(claim: Claim, reader: Principal) -> ClaimView:
    """Mediators read the staff view; the order's parties the claim without staff ids."""
    return ClaimStaffView.of(claim) if reader.role in CLAIMS.ops else ClaimView.of(claim)


class ClaimList(BaseModel):
    items: list[ClaimView]


class ClaimStaffList(BaseModel):
    items: list[ClaimStaffView]


class AfterSalesRequestView(BaseModel):
    request_id: str
    order_id: str
    buyer_id: str
    supplier_id: str
    label: AfterSalesLabel
    description: str
    requested_at: UtcDateTime
    due_at: UtcDateTime
    status: AfterSalesStatus = AfterSalesStatus.OPEN
    fulfilled_at: UtcDateTime | None = None
    claim_id: str | None = None
    next_action: NextAction | None = Field(
        description="The supplier fulfils by the SLA due time; null once fulfilled or made a claim."
    )

    @classmethod
    def of(cls, request: AfterSalesRequest) -> AfterSalesRequestView:
        return cls.model_validate({**dict(request), "next_action": after_sales_next_action(request)})


class ChainCheck(BaseModel):
    """Whether the conversation's hash chain holds, and where it first breaks if not."""

    valid: bool
    checked: int
    first_broken_seq: int | None = None
    problem: str | None = None

    @classmethod
    def of(cls, result: VerifyResult) -> ChainCheck:
        return cls.model_validate(dict(result))


class MessageView(BaseModel):
    seq: int
    author_id: str
    role: AuthorRole
    kind: RecordKind
    claim_id: str | None
    body: str
    attachment_hashes: tuple[str, ...]
    created_at: UtcDateTime
    prev_hash: str
    hash: str
    flags: tuple[OffPlatformMatch, ...] = Field(
        description="What the off-platform detector found: each flag's category and the matched span."
    )
    warning: str | None = Field(
        description="Shown to the buyer when the message pushes off-platform dealings."
    )

    @classmethod
    def of(cls, stored: StoredRecord, *, for_buyer: bool) -> MessageView:
        record = stored.record
        warning = None
        if stored.flags and for_buyer:
            # one message may break a rule in several places; the buyer reads each reason once
            reasons = "; ".join(dict.fromkeys(flag.reason for flag in stored.flags))
            warning = f"Keep payment and contact on the platform, or Trade Assurance cannot help ({reasons})."
        return cls(
            **record.model_dump(exclude={"order_id"}),
            flags=stored.flags,
            warning=warning,
        )


class MessageList(BaseModel):
    items: list[MessageView]
    next_after_seq: int | None = Field(
        default=None, description="Pass as `after_seq` for the next page; absent on the last page."
    )


class MessagePage(BaseModel):
    """A page of an order's conversation: it can grow long, so it is read in bounded pages."""

    model_config = ConfigDict(extra="forbid")

    after_seq: int = Field(
        default=0, ge=0, le=2**53, description="Records after this sequence number (0: from the start)."
    )
    limit: int = Field(default=100, ge=1, le=500)


class CaseFile(BaseModel):
    """Everything a mediator needs in one document."""

    claim: ClaimStaffView
    other_claims: list[ClaimStaffView]
    contract: dict[str, Any]
    tracking: list[dict[str, Any]]
    inspections: list[dict[str, Any]]
    messages: list[MessageView]
    evidence: list[MessageView]
    chain: ChainCheck
