"""Next actions: who a claim or an after-sales request waits on, and by the very date its rule acts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.disputes.domain.after_sales import (
    AfterSalesRequest,
    convert_overdue_request,
    fulfil_after_sales,
    request_after_sales,
)
from services.disputes.domain.claim import Claim, ClaimStage, ClaimStatus, evolve
from services.disputes.domain.errors import (
    AfterSalesSlaPassedError,
    EvidenceRequestClosedError,
    SupplierResponseOverdueError,
)
from services.disputes.domain.mediation import (
    Favour,
    MediationDecision,
    answer_evidence_request,
    decide,
    request_evidence,
)
from services.disputes.domain.negotiation import (
    accept_claim,
    escalate,
    make_offer,
    reject_claim,
    withdraw_claim,
)
from services.disputes.domain.next_action import after_sales_next_action, claim_next_action, deadline_rank
from services.disputes.domain.timers import TimerAction, due_timer_action
from shared.contracts.catalog import AfterSalesLabel
from shared.contracts.disputes import EvidenceParty, RequestedOutcome
from shared.next_action import Actor, NextAction
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

SECOND = timedelta(seconds=1)
LABEL = AfterSalesLabel.ONSITE_SERVICE_AND_PARTS


def offered() -> Claim:
    claim, _ = make_offer(
        quality_claim(),
        delivered_order(),
        supplier_id=SUPPLIER,
        outcome=RequestedOutcome.PARTIAL_REFUND,
        refund=usd(30_000),
        note="",
        now=NOW + timedelta(hours=1),
    )
    return claim


def test_a_new_claim_waits_on_the_supplier_until_the_moment_its_answer_is_refused() -> None:
    # given
    claim = quality_claim()

    # when
    action = claim_next_action(claim)

    # then the supplier responds by its response deadline
    assert action == NextAction(actor=Actor.SUPPLIER, action="respond", due_at=claim.supplier_response_due_at)
    assert action.due_at is not None
    # and that is when the negotiation rule stops taking its answer and the timer marks it silent
    reject_claim(claim, supplier_id=SUPPLIER, now=action.due_at - SECOND)
    with pytest.raises(SupplierResponseOverdueError):
        reject_claim(claim, supplier_id=SUPPLIER, now=action.due_at)
    assert due_timer_action(claim, action.due_at - SECOND) is None
    assert due_timer_action(claim, action.due_at) is TimerAction.MARK_SUPPLIER_SILENT


def test_an_offer_waits_on_the_buyer_until_the_claim_escalates_by_itself() -> None:
    # given
    claim = offered()

    # when
    action = claim_next_action(claim)

    # then
    assert action == NextAction(actor=Actor.BUYER, action="answer_offer", due_at=claim.auto_escalation_at)
    assert due_timer_action(claim, claim.auto_escalation_at - SECOND) is None
    assert due_timer_action(claim, claim.auto_escalation_at) is TimerAction.ESCALATE


@pytest.mark.parametrize("status", [ClaimStatus.SUPPLIER_REJECTED, ClaimStatus.SUPPLIER_SILENT])
def test_after_a_rejection_or_silence_the_buyer_may_escalate_before_the_platform_does(
    status: ClaimStatus,
) -> None:
    # given
    claim = evolve(quality_claim(), status=status)

    # when
    action = claim_next_action(claim)

    # then
    assert action == NextAction(actor=Actor.BUYER, action="escalate", due_at=claim.auto_escalation_at)
    assert due_timer_action(claim, claim.auto_escalation_at) is TimerAction.ESCALATE


def test_an_escalated_claim_waits_on_a_mediator_to_take_it_by_no_set_time() -> None:
    # given
    claim, _ = escalate(quality_claim(), buyer_id=BUYER, now=NOW + timedelta(days=3))

    # when / then
    assert claim_next_action(claim) == NextAction(actor=Actor.MEDIATOR, action="take_case", due_at=None)


def test_under_mediation_the_party_asked_first_for_evidence_acts_until_its_request_lapses() -> None:
    # given the supplier asked for evidence within 2 days, then the buyer within 5
    claim = claim_under_mediation()
    asked_at = NOW + timedelta(days=3)
    for request_id, party, days in (("r-1", EvidenceParty.SUPPLIER, 2), ("r-2", EvidenceParty.BUYER, 5)):
        claim, _ = request_evidence(
            claim,
            mediator_id=MEDIATOR,
            request_id=request_id,
            party=party,
            description="batch test report",
            now=asked_at,
            policy=POLICY,
            respond_within_days=days,
        )

    # when
    action = claim_next_action(claim)

    # then the supplier acts first, by the date its answer is refused and the request lapses
    due = asked_at + timedelta(days=2)
    assert action == NextAction(actor=Actor.SUPPLIER, action="provide_evidence", due_at=due)
    with pytest.raises(EvidenceRequestClosedError):
        answer_evidence_request(claim, request_id="r-1", party_id=SUPPLIER, evidence_seq=None, now=due)
    assert due_timer_action(claim, due) is TimerAction.LAPSE_EVIDENCE_REQUESTS
    # and once the supplier answered, the buyer's request is next
    answered, _ = answer_evidence_request(
        claim, request_id="r-1", party_id=SUPPLIER, evidence_seq=None, now=due - SECOND
    )
    assert claim_next_action(answered) == NextAction(
        actor=Actor.BUYER, action="provide_evidence", due_at=asked_at + timedelta(days=5)
    )


def test_under_mediation_an_answered_request_no_longer_names_who_acts() -> None:
    # given both parties asked by the same deadline, and the buyer, asked first, has answered
    claim = claim_under_mediation()
    asked_at = NOW + timedelta(days=3)
    for request_id, party, days in (("r-1", EvidenceParty.BUYER, 5), ("r-2", EvidenceParty.SUPPLIER, 5)):
        claim, _ = request_evidence(
            claim,
            mediator_id=MEDIATOR,
            request_id=request_id,
            party=party,
            description="batch test report",
            now=asked_at,
            policy=POLICY,
            respond_within_days=days,
        )
    claim, _ = answer_evidence_request(claim, request_id="r-1", party_id=BUYER, evidence_seq=4, now=asked_at)

    # when / then the supplier acts: the answered request waits on nobody
    assert claim_next_action(claim) == NextAction(
        actor=Actor.SUPPLIER, action="provide_evidence", due_at=asked_at + timedelta(days=5)
    )


def test_under_mediation_with_no_evidence_awaited_the_mediator_decides_by_no_set_time() -> None:
    claim = claim_under_mediation()

    assert claim_next_action(claim) == NextAction(actor=Actor.MEDIATOR, action="decide", due_at=None)


def test_a_settled_claim_waits_on_its_return_or_its_refund_and_a_closed_one_on_nobody() -> None:
    # given a decision against the goods' return, a claim the supplier granted, and a withdrawn claim
    decision = MediationDecision(favour=Favour.BUYER_FULL, return_required=True, rationale="off-spec")
    awaiting_return, _ = decide(
        claim_under_mediation(), delivered_order(), mediator_id=MEDIATOR, decision=decision, now=NOW
    )
    granted, _ = accept_claim(quality_claim(), delivered_order(), supplier_id=SUPPLIER, now=NOW)
    withdrawn, _ = withdraw_claim(quality_claim(), buyer_id=BUYER, now=NOW)

    # then
    assert awaiting_return.status is ClaimStatus.AWAITING_RETURN
    assert claim_next_action(awaiting_return) == NextAction(actor=Actor.BUYER, action="return_goods")
    assert granted.status is ClaimStatus.REFUND_REQUESTED
    assert claim_next_action(granted) == NextAction(actor=Actor.PLATFORM, action="issue_refund")
    assert claim_next_action(withdrawn) is None
    assert claim_next_action(evolve(granted, status=ClaimStatus.RESOLVED)) is None


def test_the_to_do_order_puts_running_deadlines_first_then_open_claims_then_closed_ones() -> None:
    escalated, _ = escalate(quality_claim(), buyer_id=BUYER, now=NOW + timedelta(days=3))
    withdrawn, _ = withdraw_claim(quality_claim(), buyer_id=BUYER, now=NOW)

    assert [deadline_rank(claim) for claim in (offered(), escalated, withdrawn)] == [0, 1, 2]


def test_every_status_belongs_to_one_stage() -> None:
    stages = {status: evolve(quality_claim(), status=status).stage for status in ClaimStatus}

    assert stages[ClaimStatus.OFFER_MADE] is ClaimStage.NEGOTIATION
    assert stages[ClaimStatus.UNDER_MEDIATION] is ClaimStage.MEDIATION
    assert stages[ClaimStatus.AWAITING_RETURN] is ClaimStage.SETTLEMENT
    assert stages[ClaimStatus.WITHDRAWN] is ClaimStage.CLOSED
    assert set(stages.values()) == set(ClaimStage)


def after_sales_request() -> AfterSalesRequest:
    request, _ = request_after_sales(
        delivered_order(labels=(LABEL,)),
        request_id="asr-1",
        buyer_id=BUYER,
        label=LABEL,
        description="pump seal leaking",
        now=NOW,
        policy=POLICY,
    )
    return request


def test_an_open_after_sales_request_waits_on_the_supplier_until_its_sla_makes_it_a_claim() -> None:
    # given
    request = after_sales_request()

    # when
    action = after_sales_next_action(request)

    # then the supplier fulfils by the SLA due time, the moment fulfilment is refused and a claim opens
    assert action == NextAction(actor=Actor.SUPPLIER, action="fulfil", due_at=request.timer_due_at)
    assert action.due_at == request.due_at
    fulfil_after_sales(request, supplier_id=SUPPLIER, now=action.due_at - SECOND)
    with pytest.raises(AfterSalesSlaPassedError):
        fulfil_after_sales(request, supplier_id=SUPPLIER, now=action.due_at)
    order = delivered_order(labels=(LABEL,))
    early = convert_overdue_request(
        request, order, claim_id="c-1", open_claims=[], now=action.due_at - SECOND, policy=POLICY
    )
    assert early[1] is None
    _, claim, _ = convert_overdue_request(
        request, order, claim_id="c-1", open_claims=[], now=action.due_at, policy=POLICY
    )
    assert claim is not None


def test_a_fulfilled_after_sales_request_waits_on_nobody() -> None:
    fulfilled, _ = fulfil_after_sales(after_sales_request(), supplier_id=SUPPLIER, now=NOW)

    assert after_sales_next_action(fulfilled) is None
