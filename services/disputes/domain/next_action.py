"""What a claim or an after-sales request waits for, from whom, by when: the `next_action` of list items.

Every due date is the one the enforcing rule acts on, read from that rule: a claim's from `next_timer_due`
(the timer that marks the supplier silent, escalates the claim or lapses evidence requests, and the same
date the supplier's answer is refused after), a request's from its SLA timer. Mediation has no deadline
of its own: a mediator's next action is due at no set time.
"""

from __future__ import annotations

from services.disputes.domain.after_sales import AfterSalesRequest
from services.disputes.domain.claim import Claim, ClaimStatus, EvidenceRequestStatus, next_timer_due
from shared.next_action import Actor, NextAction

# Who acts next in each status, and what they do; the due date comes from the claim's timer rule.
_WAITING_ON: dict[ClaimStatus, tuple[Actor, str]] = {
    ClaimStatus.AWAITING_SUPPLIER: (Actor.SUPPLIER, "respond"),
    ClaimStatus.OFFER_MADE: (Actor.BUYER, "answer_offer"),
    # The buyer may escalate now; left alone, the platform escalates at the same deadline.
    ClaimStatus.SUPPLIER_REJECTED: (Actor.BUYER, "escalate"),
    ClaimStatus.SUPPLIER_SILENT: (Actor.BUYER, "escalate"),
    ClaimStatus.ESCALATED: (Actor.MEDIATOR, "take_case"),
    ClaimStatus.UNDER_MEDIATION: (Actor.MEDIATOR, "decide"),
    ClaimStatus.AWAITING_RETURN: (Actor.BUYER, "return_goods"),
    ClaimStatus.REFUND_REQUESTED: (Actor.PLATFORM, "issue_refund"),
}


def claim_next_action(claim: Claim) -> NextAction | None:
    """The claim's next step; None once it is closed."""
    if claim.status not in _WAITING_ON:
        return None
    due = next_timer_due(claim)
    if claim.status is ClaimStatus.UNDER_MEDIATION and due is not None:
        # The mediator waits for the evidence asked first; it lapses at that deadline.
        asked = next(
            r for r in claim.evidence_requests if r.status is EvidenceRequestStatus.OPEN and r.due_at == due
        )
        return NextAction(actor=Actor(asked.party.value), action="provide_evidence", due_at=due)
    actor, action = _WAITING_ON[claim.status]
    return NextAction(actor=actor, action=action, due_at=due)


def deadline_rank(claim: Claim) -> int:
    """A claim's place in the "to do" order: running deadlines first (soonest first), then open claims
    waiting on no deadline, then closed ones."""
    action = claim_next_action(claim)
    if action is not None and action.due_at is not None:
        return 0
    return 1 if claim.is_open else 2


def after_sales_next_action(request: AfterSalesRequest) -> NextAction | None:
    """The supplier fulfils an open request by its SLA, when it would become a claim; None once settled."""
    due = request.timer_due_at
    return None if due is None else NextAction(actor=Actor.SUPPLIER, action="fulfil", due_at=due)
