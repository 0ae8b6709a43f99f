"""Negotiation between buyer and supplier before the platform steps in, with its deadlines."""

from __future__ import annotations

from datetime import datetime

from services.disputes.domain.claim import (
    Claim,
    ClaimAction,
    ClaimStatus,
    Offer,
    Settlement,
    evolve,
    guard,
    parties,
)
from services.disputes.domain.errors import (
    EscalationTooEarlyError,
    NotOrderBuyerError,
    NotOrderSupplierError,
    SupplierResponseOverdueError,
)
from services.disputes.domain.orders import OrderView
from services.disputes.domain.refunds import refund_for, settlement_kind
from services.disputes.domain.settlement import settle
from shared.contracts.disputes import (
    ClaimEscalated,
    ClaimRejectedBySupplier,
    ClaimWithdrawn,
    OfferMade,
    RequestedOutcome,
    SettledBy,
    SupplierResponseMissed,
)
from shared.messaging.envelope import Event
from shared.money import Money

PLATFORM_ACTOR = "platform"


def make_offer(
    claim: Claim,
    order: OrderView,
    *,
    supplier_id: str,
    outcome: RequestedOutcome,
    refund: Money | None,
    note: str,
    now: datetime,
) -> tuple[Claim, list[Event]]:
    """The supplier proposes an outcome (a new offer replaces a pending one); the buyer may accept it."""
    _require_supplier_may_answer(claim, supplier_id, ClaimAction.MAKE_OFFER, now)
    offer = Offer(outcome=outcome, refund=refund_for(outcome, refund, order), note=note, made_at=now)
    made = OfferMade(**parties(claim), outcome=outcome, refund=offer.refund, made_at=now)
    return evolve(claim, status=ClaimStatus.OFFER_MADE, offer=offer), [made]


def accept_claim(
    claim: Claim, order: OrderView, *, supplier_id: str, now: datetime
) -> tuple[Claim, list[Event]]:
    """The supplier grants what the buyer asked for; a full refund means all that is still refundable."""
    _require_supplier_may_answer(claim, supplier_id, ClaimAction.ACCEPT_CLAIM, now)
    requested = None if claim.requested_outcome is RequestedOutcome.FULL_REFUND else claim.amount
    return _settle_on(
        claim, order, claim.requested_outcome, requested, SettledBy.SUPPLIER_ACCEPTANCE, supplier_id, now
    )


def reject_claim(claim: Claim, *, supplier_id: str, now: datetime) -> tuple[Claim, list[Event]]:
    """The supplier refuses; the buyer may then escalate at once."""
    _require_supplier_may_answer(claim, supplier_id, ClaimAction.REJECT_CLAIM, now)
    rejected = ClaimRejectedBySupplier(**parties(claim), rejected_at=now)
    return evolve(claim, status=ClaimStatus.SUPPLIER_REJECTED), [rejected]


def accept_offer(
    claim: Claim, order: OrderView, *, buyer_id: str, now: datetime
) -> tuple[Claim, list[Event]]:
    """The buyer takes the supplier's pending offer; it becomes the claim's settlement."""
    _require_buyer(claim, buyer_id)
    guard(claim, ClaimAction.ACCEPT_OFFER)
    assert claim.offer is not None  # OFFER_MADE always carries its offer
    offer = claim.offer
    refund = None if offer.outcome is RequestedOutcome.FULL_REFUND else offer.refund
    return _settle_on(claim, order, offer.outcome, refund, SettledBy.BUYER_ACCEPTANCE, buyer_id, now)


def escalate(claim: Claim, *, buyer_id: str, now: datetime) -> tuple[Claim, list[Event]]:
    """The buyer asks for mediation: from day 4, or at once when the supplier has rejected the claim."""
    _require_buyer(claim, buyer_id)
    guard(claim, ClaimAction.ESCALATE)
    if claim.status is not ClaimStatus.SUPPLIER_REJECTED and now < claim.buyer_may_escalate_at:
        raise EscalationTooEarlyError(f"the buyer may escalate from {claim.buyer_may_escalate_at}")
    return _escalated(claim, by=buyer_id, automatic=False, now=now)


def escalate_automatically(claim: Claim, now: datetime) -> tuple[Claim, list[Event]]:
    """The negotiation ran out of time unresolved: the platform takes over."""
    guard(claim, ClaimAction.ESCALATE)
    return _escalated(claim, by=PLATFORM_ACTOR, automatic=True, now=now)


def mark_supplier_silent(claim: Claim) -> tuple[Claim, list[Event]]:
    """The supplier let its response deadline pass; it can no longer answer, only mediation can.

    Takes no instant: the fact is dated by the deadline that passed (`supplier_response_due_at`), not by
    when a timer sweep got round to it.
    """
    guard(claim, ClaimAction.MARK_SUPPLIER_SILENT)
    missed = SupplierResponseMissed(**parties(claim), due_at=claim.supplier_response_due_at)
    return evolve(claim, status=ClaimStatus.SUPPLIER_SILENT), [missed]


def withdraw_claim(claim: Claim, *, buyer_id: str, now: datetime) -> tuple[Claim, list[Event]]:
    """The buyer drops the claim before it is settled; escrow may release again."""
    _require_buyer(claim, buyer_id)
    guard(claim, ClaimAction.WITHDRAW)
    withdrawn = ClaimWithdrawn(**parties(claim), reason=claim.reason, withdrawn_at=now)
    return evolve(claim, status=ClaimStatus.WITHDRAWN, closed_at=now), [withdrawn]


def _settle_on(
    claim: Claim,
    order: OrderView,
    outcome: RequestedOutcome,
    amount: Money | None,
    settled_by: SettledBy,
    actor: str,
    now: datetime,
) -> tuple[Claim, list[Event]]:
    # Re-priced against the order now: another claim may have been refunded since the offer or the claim.
    refund = refund_for(outcome, amount, order)
    settlement = Settlement(
        kind=settlement_kind(outcome, refund, order),
        refund=refund,
        return_required=outcome is RequestedOutcome.RETURN_AND_REFUND,
        settled_by=settled_by,
        decided_by=actor,
        settled_at=now,
    )
    return settle(claim, settlement)


def _escalated(claim: Claim, *, by: str, automatic: bool, now: datetime) -> tuple[Claim, list[Event]]:
    escalated = ClaimEscalated(
        **parties(claim), reason=claim.reason, escalated_by=by, automatic=automatic, escalated_at=now
    )
    return evolve(claim, status=ClaimStatus.ESCALATED, escalated_at=now), [escalated]


def _require_supplier_may_answer(claim: Claim, supplier_id: str, action: ClaimAction, now: datetime) -> None:
    if supplier_id != claim.supplier_id:
        raise NotOrderSupplierError(f"{supplier_id} is not the supplier of order {claim.order_id}")
    guard(claim, action)
    # Checked against the clock, not only the status, so a late timer sweep cannot extend the deadline.
    if claim.status is ClaimStatus.AWAITING_SUPPLIER and now >= claim.supplier_response_due_at:
        raise SupplierResponseOverdueError(f"the supplier had to respond by {claim.supplier_response_due_at}")


def _require_buyer(claim: Claim, buyer_id: str) -> None:
    if buyer_id != claim.buyer_id:
        raise NotOrderBuyerError(f"{buyer_id} is not the buyer of order {claim.order_id}")
