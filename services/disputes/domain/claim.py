"""The claim aggregate: its vocabulary, its state, the actions each status allows and its next timer."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, TypedDict

from pydantic import BaseModel, ConfigDict

from services.disputes.domain.errors import ClaimTransitionRefusedError
from shared.clock import UtcDateTime
from shared.contracts.disputes import (
    ClaimOpener,
    ClaimReason,
    EvidenceParty,
    RequestedOutcome,
    SettledBy,
    SettlementKind,
)
from shared.money import Money


class ClaimStatus(StrEnum):
    AWAITING_SUPPLIER = "awaiting_supplier"
    OFFER_MADE = "offer_made"
    SUPPLIER_REJECTED = "supplier_rejected"
    SUPPLIER_SILENT = "supplier_silent"
    ESCALATED = "escalated"
    UNDER_MEDIATION = "under_mediation"
    AWAITING_RETURN = "awaiting_return"
    REFUND_REQUESTED = "refund_requested"
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"


class ClaimStage(StrEnum):
    """Where a claim stands, coarser than its status: what a party or a desk filters its lists by."""

    NEGOTIATION = "negotiation"
    MEDIATION = "mediation"
    SETTLEMENT = "settlement"
    CLOSED = "closed"


class EvidenceRequestStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    LAPSED = "lapsed"


class Offer(BaseModel):
    """A supplier's proposal; `refund` is zero for a replacement or after-sales service."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    outcome: RequestedOutcome
    refund: Money
    note: str = ""
    made_at: UtcDateTime


class EvidenceRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    request_id: str
    party: EvidenceParty
    description: str
    requested_at: UtcDateTime
    due_at: UtcDateTime
    status: EvidenceRequestStatus = EvidenceRequestStatus.OPEN
    answered_at: UtcDateTime | None = None
    evidence_seq: int | None = None


class Settlement(BaseModel):
    """The one outcome of a claim, whether agreed by the parties or decided by a mediator."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: SettlementKind
    refund: Money
    return_required: bool
    settled_by: SettledBy
    decided_by: str
    rationale: str = ""
    settled_at: UtcDateTime


class Claim(BaseModel):
    """A buyer's (or the platform's) claim on one order for one reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")

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
    # Deadlines are fixed at opening so that a later policy change never moves a running claim's clock.
    supplier_response_due_at: UtcDateTime
    buyer_may_escalate_at: UtcDateTime
    auto_escalation_at: UtcDateTime
    status: ClaimStatus
    offer: Offer | None = None
    escalated_at: UtcDateTime | None = None
    mediator_id: str | None = None
    evidence_requests: tuple[EvidenceRequest, ...] = ()
    settlement: Settlement | None = None
    closed_at: UtcDateTime | None = None
    timer_due_at: UtcDateTime | None = None

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED

    @property
    def stage(self) -> ClaimStage:
        return STAGES[self.status]


class ClaimParties(TypedDict):
    claim_id: str
    order_id: str
    buyer_id: str
    supplier_id: str


def parties(claim: Claim) -> ClaimParties:
    """The identifying fields every claim event carries."""
    return ClaimParties(
        claim_id=claim.claim_id,
        order_id=claim.order_id,
        buyer_id=claim.buyer_id,
        supplier_id=claim.supplier_id,
    )


class ClaimAction(StrEnum):
    MAKE_OFFER = "make_offer"
    ACCEPT_CLAIM = "accept_claim"
    REJECT_CLAIM = "reject_claim"
    ACCEPT_OFFER = "accept_offer"
    ESCALATE = "escalate"
    MARK_SUPPLIER_SILENT = "mark_supplier_silent"
    START_MEDIATION = "start_mediation"
    REQUEST_EVIDENCE = "request_evidence"
    ANSWER_EVIDENCE = "answer_evidence"
    LAPSE_EVIDENCE = "lapse_evidence"
    DECIDE = "decide"
    RECORD_RETURN = "record_return"
    RECORD_REFUND = "record_refund"
    WITHDRAW = "withdraw"


CLOSED = frozenset({ClaimStatus.RESOLVED, ClaimStatus.WITHDRAWN})
NEGOTIATING = frozenset(
    {
        ClaimStatus.AWAITING_SUPPLIER,
        ClaimStatus.OFFER_MADE,
        ClaimStatus.SUPPLIER_REJECTED,
        ClaimStatus.SUPPLIER_SILENT,
    }
)
# Settlement: decided or agreed, waiting for the return or the refund that executes it.
STAGES: dict[ClaimStatus, ClaimStage] = {
    **dict.fromkeys(NEGOTIATING, ClaimStage.NEGOTIATION),
    ClaimStatus.ESCALATED: ClaimStage.MEDIATION,
    ClaimStatus.UNDER_MEDIATION: ClaimStage.MEDIATION,
    ClaimStatus.AWAITING_RETURN: ClaimStage.SETTLEMENT,
    ClaimStatus.REFUND_REQUESTED: ClaimStage.SETTLEMENT,
    **dict.fromkeys(CLOSED, ClaimStage.CLOSED),
}
_SUPPLIER_MAY_ANSWER = frozenset(
    {ClaimStatus.AWAITING_SUPPLIER, ClaimStatus.OFFER_MADE, ClaimStatus.SUPPLIER_REJECTED}
)

# The state machine: which statuses allow each action (the action decides the target status).
ALLOWED_FROM: dict[ClaimAction, frozenset[ClaimStatus]] = {
    ClaimAction.MAKE_OFFER: _SUPPLIER_MAY_ANSWER,
    ClaimAction.ACCEPT_CLAIM: _SUPPLIER_MAY_ANSWER,
    ClaimAction.REJECT_CLAIM: frozenset({ClaimStatus.AWAITING_SUPPLIER}),
    ClaimAction.ACCEPT_OFFER: frozenset({ClaimStatus.OFFER_MADE}),
    ClaimAction.ESCALATE: NEGOTIATING,
    ClaimAction.MARK_SUPPLIER_SILENT: frozenset({ClaimStatus.AWAITING_SUPPLIER}),
    ClaimAction.START_MEDIATION: frozenset({ClaimStatus.ESCALATED}),
    ClaimAction.REQUEST_EVIDENCE: frozenset({ClaimStatus.UNDER_MEDIATION}),
    ClaimAction.ANSWER_EVIDENCE: frozenset({ClaimStatus.UNDER_MEDIATION}),
    ClaimAction.LAPSE_EVIDENCE: frozenset({ClaimStatus.UNDER_MEDIATION}),
    ClaimAction.DECIDE: frozenset({ClaimStatus.UNDER_MEDIATION}),
    ClaimAction.RECORD_RETURN: frozenset({ClaimStatus.AWAITING_RETURN}),
    ClaimAction.RECORD_REFUND: frozenset({ClaimStatus.REFUND_REQUESTED}),
    ClaimAction.WITHDRAW: NEGOTIATING | {ClaimStatus.ESCALATED, ClaimStatus.UNDER_MEDIATION},
}


def guard(claim: Claim, action: ClaimAction) -> None:
    """Raise unless the claim's status allows the action."""
    if claim.status not in ALLOWED_FROM[action]:
        raise ClaimTransitionRefusedError(f"cannot {action.value} a claim that is {claim.status.value}")


def next_timer_due(claim: Claim) -> datetime | None:
    """When the claim's persisted timer should next fire, derived from its status alone."""
    if claim.status is ClaimStatus.AWAITING_SUPPLIER:
        return claim.supplier_response_due_at
    if claim.status in NEGOTIATING:
        return claim.auto_escalation_at
    if claim.status is ClaimStatus.UNDER_MEDIATION:
        open_deadlines = [r.due_at for r in claim.evidence_requests if r.status is EvidenceRequestStatus.OPEN]
        return min(open_deadlines, default=None)
    return None


def evolve(claim: Claim, **changes: Any) -> Claim:
    """The claim with `changes` applied and its timer due-date recomputed (the one way to change a claim)."""
    changed = claim.model_copy(update=changes)
    return changed.model_copy(update={"timer_due_at": next_timer_due(changed)})
