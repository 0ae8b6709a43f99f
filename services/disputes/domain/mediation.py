"""Platform mediation: a mediator takes the case, requests evidence with deadlines, and decides once."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from services.disputes.domain.claim import (
    Claim,
    ClaimAction,
    ClaimStatus,
    EvidenceRequest,
    EvidenceRequestStatus,
    Settlement,
    evolve,
    guard,
    parties,
)
from services.disputes.domain.errors import (
    EvidenceRequestClosedError,
    EvidenceRequestNotFoundError,
    InvalidDeadlineError,
    InvalidDecisionError,
    NotAssignedMediatorError,
    NotOrderBuyerError,
    NotOrderSupplierError,
)
from services.disputes.domain.orders import OrderView
from services.disputes.domain.policy import DisputesPolicy
from services.disputes.domain.refunds import checked_refund, refund_for
from services.disputes.domain.settlement import settle
from shared.contracts.disputes import (
    EvidenceParty,
    EvidenceRequestAnswered,
    EvidenceRequested,
    EvidenceRequestLapsed,
    MediationStarted,
    RequestedOutcome,
    SettledBy,
    SettlementKind,
)
from shared.messaging.envelope import Event
from shared.money import Money


class Favour(StrEnum):
    BUYER_FULL = "buyer_full"
    BUYER_PARTIAL = "buyer_partial"
    SUPPLIER = "supplier"


class MediationDecision(BaseModel):
    """What the mediator decides; `refund` is required for a partial refund and absent otherwise."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    favour: Favour
    refund: Money | None = None
    return_required: bool = False
    rationale: str = Field(min_length=1)


def start_mediation(claim: Claim, *, mediator_id: str, now: datetime) -> tuple[Claim, list[Event]]:
    """A mediator takes an escalated claim; from now on only that mediator decides it."""
    guard(claim, ClaimAction.START_MEDIATION)
    started = MediationStarted(**parties(claim), mediator_id=mediator_id, started_at=now)
    return evolve(claim, status=ClaimStatus.UNDER_MEDIATION, mediator_id=mediator_id), [started]


def request_evidence(
    claim: Claim,
    *,
    mediator_id: str,
    request_id: str,
    party: EvidenceParty,
    description: str,
    now: datetime,
    policy: DisputesPolicy,
    respond_within_days: int | None = None,
) -> tuple[Claim, list[Event]]:
    """Ask one party for more evidence by a deadline (policy default, capped by policy)."""
    guard(claim, ClaimAction.REQUEST_EVIDENCE)
    _require_mediator(claim, mediator_id)
    days = policy.evidence_response_days if respond_within_days is None else respond_within_days
    if not 1 <= days <= policy.max_evidence_response_days:
        raise InvalidDeadlineError(f"evidence deadline must be 1 to {policy.max_evidence_response_days} days")
    request = EvidenceRequest(
        request_id=request_id,
        party=party,
        description=description,
        requested_at=now,
        due_at=now + timedelta(days=days),
    )
    requested = EvidenceRequested(
        **parties(claim), request_id=request_id, party=party, description=description, due_at=request.due_at
    )
    return evolve(claim, evidence_requests=(*claim.evidence_requests, request)), [requested]


def answer_evidence_request(
    claim: Claim, *, request_id: str, party_id: str, evidence_seq: int | None, now: datetime
) -> tuple[Claim, list[Event]]:
    """The asked party answers before the deadline, pointing at its evidence record in the order log."""
    guard(claim, ClaimAction.ANSWER_EVIDENCE)
    request = _find_request(claim, request_id)
    expected = claim.buyer_id if request.party is EvidenceParty.BUYER else claim.supplier_id
    if party_id != expected:
        error = NotOrderBuyerError if request.party is EvidenceParty.BUYER else NotOrderSupplierError
        raise error(f"evidence request {request_id} is addressed to the {request.party.value}")
    if request.status is not EvidenceRequestStatus.OPEN or now >= request.due_at:
        raise EvidenceRequestClosedError(f"evidence request {request_id} is closed")
    answered = request.model_copy(
        update={"status": EvidenceRequestStatus.ANSWERED, "answered_at": now, "evidence_seq": evidence_seq}
    )
    event = EvidenceRequestAnswered(
        **parties(claim), request_id=request_id, evidence_seq=evidence_seq, answered_at=now
    )
    return evolve(claim, evidence_requests=_replace(claim, answered)), [event]


def lapse_evidence_requests(claim: Claim, now: datetime) -> tuple[Claim, list[Event]]:
    """Close every open request whose deadline has passed; the mediator then decides on what is there."""
    guard(claim, ClaimAction.LAPSE_EVIDENCE)
    overdue = [
        r for r in claim.evidence_requests if r.status is EvidenceRequestStatus.OPEN and now >= r.due_at
    ]
    for request in overdue:
        claim = evolve(
            claim,
            evidence_requests=_replace(
                claim, request.model_copy(update={"status": EvidenceRequestStatus.LAPSED})
            ),
        )
    events: list[Event] = [
        EvidenceRequestLapsed(**parties(claim), request_id=r.request_id, party=r.party, due_at=r.due_at)
        for r in overdue
    ]
    return claim, events


def decide(
    claim: Claim, order: OrderView, *, mediator_id: str, decision: MediationDecision, now: datetime
) -> tuple[Claim, list[Event]]:
    """The mediator's decision becomes the claim's one settlement."""
    guard(claim, ClaimAction.DECIDE)
    _require_mediator(claim, mediator_id)
    kind, refund = _decided_refund(decision, order)
    settlement = Settlement(
        kind=kind,
        refund=refund,
        return_required=decision.return_required,
        settled_by=SettledBy.MEDIATION,
        decided_by=mediator_id,
        rationale=decision.rationale,
        settled_at=now,
    )
    return settle(claim, settlement)


def _decided_refund(decision: MediationDecision, order: OrderView) -> tuple[SettlementKind, Money]:
    if decision.favour is Favour.BUYER_FULL:
        return SettlementKind.FULL_REFUND, refund_for(RequestedOutcome.FULL_REFUND, decision.refund, order)
    if decision.favour is Favour.BUYER_PARTIAL:
        if decision.refund is None:
            raise InvalidDecisionError("a partial refund decision needs a refund amount")
        refund = checked_refund(decision.refund, order)
        if refund == order.refundable:
            raise InvalidDecisionError("a refund of everything still refundable is a full refund")
        return SettlementKind.PARTIAL_REFUND, refund
    if decision.refund is not None and decision.refund.amount != 0:
        raise InvalidDecisionError("a decision in the supplier's favour refunds nothing")
    if decision.return_required:
        raise InvalidDecisionError("a decision in the supplier's favour requires no return")
    return SettlementKind.NO_REFUND, Money.zero(order.paid.currency)


def _require_mediator(claim: Claim, mediator_id: str) -> None:
    if claim.mediator_id != mediator_id:
        raise NotAssignedMediatorError(f"{mediator_id} is not the mediator of claim {claim.claim_id}")


def _find_request(claim: Claim, request_id: str) -> EvidenceRequest:
    for request in claim.evidence_requests:
        if request.request_id == request_id:
            return request
    raise EvidenceRequestNotFoundError(f"claim {claim.claim_id} has no evidence request {request_id}")


def _replace(claim: Claim, updated: EvidenceRequest) -> tuple[EvidenceRequest, ...]:
    return tuple(updated if r.request_id == updated.request_id else r for r in claim.evidence_requests)
