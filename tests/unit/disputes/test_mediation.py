"""Mediation: one mediator, evidence requests with deadlines, one validated decision."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.disputes.domain.claim import Claim, ClaimStatus, EvidenceRequestStatus
from services.disputes.domain.errors import (
    ClaimTransitionRefusedError,
    EvidenceRequestClosedError,
    InvalidAmountError,
    InvalidDeadlineError,
    InvalidDecisionError,
    NotAssignedMediatorError,
    NotOrderBuyerError,
    NotOrderSupplierError,
    RefundExceedsRefundableError,
)
from services.disputes.domain.mediation import (
    Favour,
    MediationDecision,
    answer_evidence_request,
    decide,
    lapse_evidence_requests,
    request_evidence,
    start_mediation,
)
from services.disputes.domain.negotiation import escalate
from services.disputes.domain.orders import record_refund
from shared.contracts.disputes import (
    ClaimResolved,
    ClaimSettled,
    EvidenceParty,
    EvidenceRequestAnswered,
    EvidenceRequested,
    EvidenceRequestLapsed,
    MediationStarted,
    RefundRequested,
    ReturnRequested,
    SettledBy,
    SettlementKind,
)
from shared.money import Money
from tests.unit.disputes.factories import (
    BUYER,
    MEDIATOR,
    NOW,
    POLICY,
    SUPPLIER,
    claim_under_mediation,
    delivered_order,
    quality_claim,
    usd,
)

LATER = NOW + timedelta(days=4)


def _asked_supplier() -> Claim:
    claim, _ = request_evidence(
        claim_under_mediation(),
        mediator_id=MEDIATOR,
        request_id="ev-1",
        party=EvidenceParty.SUPPLIER,
        description="batch QC records",
        now=LATER,
        policy=POLICY,
    )
    return claim


def test_only_an_escalated_claim_can_go_to_mediation() -> None:
    with pytest.raises(ClaimTransitionRefusedError):
        start_mediation(quality_claim(), mediator_id=MEDIATOR, now=LATER)


def test_evidence_request_gets_the_policy_deadline_by_default() -> None:
    # when
    claim = _asked_supplier()

    # then
    (request,) = claim.evidence_requests
    assert request.due_at == LATER + timedelta(days=POLICY.evidence_response_days)
    assert claim.timer_due_at == request.due_at


def test_evidence_deadline_is_capped_by_policy() -> None:
    with pytest.raises(InvalidDeadlineError):
        request_evidence(
            claim_under_mediation(),
            mediator_id=MEDIATOR,
            request_id="ev-1",
            party=EvidenceParty.BUYER,
            description="unboxing video",
            now=LATER,
            policy=POLICY,
            respond_within_days=POLICY.max_evidence_response_days + 1,
        )


def test_only_the_assigned_mediator_requests_evidence() -> None:
    with pytest.raises(NotAssignedMediatorError):
        request_evidence(
            claim_under_mediation(),
            mediator_id="mediator-2",
            request_id="ev-1",
            party=EvidenceParty.BUYER,
            description="unboxing video",
            now=LATER,
            policy=POLICY,
        )


def test_the_asked_party_answers_before_the_deadline() -> None:
    # when
    claim, _ = answer_evidence_request(
        _asked_supplier(), request_id="ev-1", party_id=SUPPLIER, evidence_seq=7, now=LATER + timedelta(days=1)
    )

    # then
    (request,) = claim.evidence_requests
    assert request.status is EvidenceRequestStatus.ANSWERED
    assert request.evidence_seq == 7
    assert claim.timer_due_at is None


def test_evidence_request_is_answered_only_by_the_party_asked() -> None:
    with pytest.raises(NotOrderSupplierError):
        answer_evidence_request(
            _asked_supplier(), request_id="ev-1", party_id="buyer-1", evidence_seq=None, now=LATER
        )


def test_evidence_after_the_deadline_is_refused() -> None:
    with pytest.raises(EvidenceRequestClosedError):
        answer_evidence_request(
            _asked_supplier(),
            request_id="ev-1",
            party_id=SUPPLIER,
            evidence_seq=None,
            now=LATER + timedelta(days=5),
        )


def test_decision_for_the_buyer_in_full_refunds_everything_still_refundable() -> None:
    # given
    order = record_refund(delivered_order(), "refund-1", usd(10_000))

    # when
    claim, events = decide(
        claim_under_mediation(),
        order,
        mediator_id=MEDIATOR,
        decision=MediationDecision(
            favour=Favour.BUYER_FULL, rationale="inspection report shows wrong colour"
        ),
        now=LATER,
    )

    # then
    assert claim.status is ClaimStatus.REFUND_REQUESTED
    assert claim.settlement is not None
    assert claim.settlement.kind is SettlementKind.FULL_REFUND
    assert claim.settlement.settled_by is SettledBy.MEDIATION
    assert [type(e) for e in events] == [ClaimSettled, RefundRequested]
    assert isinstance(events[1], RefundRequested)
    assert events[1].amount == usd(90_000)


def test_partial_refund_decision_never_exceeds_paid_minus_refunded() -> None:
    order = record_refund(delivered_order(), "refund-1", usd(10_000))
    with pytest.raises(RefundExceedsRefundableError):
        decide(
            claim_under_mediation(),
            order,
            mediator_id=MEDIATOR,
            decision=MediationDecision(favour=Favour.BUYER_PARTIAL, refund=usd(90_001), rationale="r"),
            now=LATER,
        )


@pytest.mark.parametrize(
    "decision",
    [
        MediationDecision(favour=Favour.BUYER_PARTIAL, rationale="no amount"),
        MediationDecision(
            favour=Favour.BUYER_PARTIAL, refund=usd(100_000), rationale="that is a full refund"
        ),
        MediationDecision(favour=Favour.SUPPLIER, refund=usd(1), rationale="refund in supplier's favour"),
        MediationDecision(favour=Favour.SUPPLIER, return_required=True, rationale="return for nothing"),
    ],
)
def test_incoherent_decisions_are_refused(decision: MediationDecision) -> None:
    with pytest.raises(InvalidDecisionError):
        decide(claim_under_mediation(), delivered_order(), mediator_id=MEDIATOR, decision=decision, now=LATER)


def test_decision_for_the_supplier_resolves_the_claim_without_money() -> None:
    # when
    claim, events = decide(
        claim_under_mediation(),
        delivered_order(),
        mediator_id=MEDIATOR,
        decision=MediationDecision(favour=Favour.SUPPLIER, rationale="goods match the signed sample"),
        now=LATER,
    )

    # then
    assert claim.status is ClaimStatus.RESOLVED
    settled, resolved = events
    assert isinstance(settled, ClaimSettled)
    assert isinstance(resolved, ClaimResolved)
    assert resolved.refund == usd(0)
    assert resolved.decision is SettlementKind.NO_REFUND


def test_decision_with_return_waits_for_the_return() -> None:
    # when
    claim, events = decide(
        claim_under_mediation(),
        delivered_order(),
        mediator_id=MEDIATOR,
        decision=MediationDecision(favour=Favour.BUYER_FULL, return_required=True, rationale="counterfeit"),
        now=LATER,
    )

    # then
    assert claim.status is ClaimStatus.AWAITING_RETURN
    assert [type(e) for e in events] == [ClaimSettled, ReturnRequested]


def test_a_claim_is_decided_exactly_once() -> None:
    # given
    decision = MediationDecision(favour=Favour.SUPPLIER, rationale="r")
    claim, _ = decide(
        claim_under_mediation(), delivered_order(), mediator_id=MEDIATOR, decision=decision, now=LATER
    )

    # when / then
    with pytest.raises(ClaimTransitionRefusedError):
        decide(claim, delivered_order(), mediator_id=MEDIATOR, decision=decision, now=LATER)


def test_only_the_assigned_mediator_decides() -> None:
    with pytest.raises(NotAssignedMediatorError):
        decide(
            claim_under_mediation(),
            delivered_order(),
            mediator_id=SUPPLIER,
            decision=MediationDecision(favour=Favour.SUPPLIER, rationale="r"),
            now=LATER,
        )


def test_a_mediator_refund_in_another_currency_than_the_order_is_refused_naming_the_refund() -> None:
    # Given a partial refund decided in euros on a dollar order (CurrencyMismatch was an unmapped 500)
    decision = MediationDecision(
        favour=Favour.BUYER_PARTIAL, refund=Money(amount=100, currency="EUR"), rationale="half the lot"
    )

    # When the mediator decides, then the decision is refused and the field named
    with pytest.raises(InvalidAmountError) as refused:
        decide(claim_under_mediation(), delivered_order(), mediator_id=MEDIATOR, decision=decision, now=LATER)
    assert refused.value.field == "refund"


def test_mediation_and_evidence_requests_are_announced_and_answers_keep_their_instant() -> None:
    # given an escalated claim
    # when a mediator takes it and asks the supplier for evidence, and the supplier answers with record 7
    escalated, _ = escalate(quality_claim(), buyer_id=BUYER, now=LATER)
    _, started = start_mediation(escalated, mediator_id=MEDIATOR, now=LATER)
    _, requested = request_evidence(
        claim_under_mediation(),
        mediator_id=MEDIATOR,
        request_id="ev-1",
        party=EvidenceParty.SUPPLIER,
        description="batch QC records",
        now=LATER,
        policy=POLICY,
    )
    answered_at = LATER + timedelta(days=1)
    claim, answered = answer_evidence_request(
        _asked_supplier(), request_id="ev-1", party_id=SUPPLIER, evidence_seq=7, now=answered_at
    )
    # then each step is an event, and the answer keeps its instant and the evidence it points to
    assert [type(e) for e in (*started, *requested, *answered)] == [
        MediationStarted,
        EvidenceRequested,
        EvidenceRequestAnswered,
    ]
    (answer,) = answered
    assert isinstance(answer, EvidenceRequestAnswered)
    assert (answer.evidence_seq, answer.answered_at) == (7, answered_at)
    assert claim.evidence_requests[0].answered_at == answered_at


def _asked_buyer(claim: Claim | None = None) -> Claim:
    asked, _ = request_evidence(
        claim or claim_under_mediation(),
        mediator_id=MEDIATOR,
        request_id="ev-2",
        party=EvidenceParty.BUYER,
        description="unboxing video",
        now=LATER,
        policy=POLICY,
    )
    return asked


def test_the_buyer_answers_a_request_addressed_to_the_buyer() -> None:
    # when
    claim, _ = answer_evidence_request(
        _asked_buyer(), request_id="ev-2", party_id=BUYER, evidence_seq=3, now=LATER + timedelta(days=1)
    )

    # then
    (request,) = claim.evidence_requests
    assert (request.status, request.evidence_seq) == (EvidenceRequestStatus.ANSWERED, 3)


def test_a_request_addressed_to_the_buyer_is_refused_to_the_supplier_as_not_the_buyer() -> None:
    with pytest.raises(NotOrderBuyerError):
        answer_evidence_request(
            _asked_buyer(), request_id="ev-2", party_id=SUPPLIER, evidence_seq=None, now=LATER
        )


def test_an_answered_request_does_not_lapse_when_its_deadline_passes() -> None:
    # given the supplier answered its request, the buyer did not answer hers, and both deadlines passed
    answered, _ = answer_evidence_request(
        _asked_supplier(), request_id="ev-1", party_id=SUPPLIER, evidence_seq=7, now=LATER
    )
    claim = _asked_buyer(answered)
    deadline = LATER + timedelta(days=POLICY.evidence_response_days)

    # when
    claim, events = lapse_evidence_requests(claim, deadline)

    # then only the open request lapses
    assert [(r.request_id, r.status) for r in claim.evidence_requests] == [
        ("ev-1", EvidenceRequestStatus.ANSWERED),
        ("ev-2", EvidenceRequestStatus.LAPSED),
    ]
    assert [e.request_id for e in events if isinstance(e, EvidenceRequestLapsed)] == ["ev-2"]
    assert len(events) == 1


def test_a_decision_keeps_the_mediators_rationale() -> None:
    # when
    claim, _ = decide(
        claim_under_mediation(),
        delivered_order(),
        mediator_id=MEDIATOR,
        decision=MediationDecision(favour=Favour.SUPPLIER, rationale="goods match the signed sample"),
        now=LATER,
    )

    # then
    assert claim.settlement is not None
    assert claim.settlement.rationale == "goods match the signed sample"


def test_a_refund_in_another_currency_is_refused_saying_which_currencies_disagree() -> None:
    # given a partial refund decided in euros on a dollar order
    decision = MediationDecision(
        favour=Favour.BUYER_PARTIAL, refund=Money(amount=100, currency="EUR"), rationale="half the lot"
    )

    # when / then the refusal's detail (what the API answers) names both currencies
    with pytest.raises(InvalidAmountError) as refused:
        decide(claim_under_mediation(), delivered_order(), mediator_id=MEDIATOR, decision=decision, now=LATER)
    detail = str(refused.value)
    assert "EUR" in detail
    assert "USD" in detail
