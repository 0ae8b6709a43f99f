"""Opening a claim: who may, for which reasons, how much, inside which window; and platform cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from services.disputes.domain.claim import Claim, ClaimStatus, evolve, parties
from services.disputes.domain.errors import (
    ClaimPrematureError,
    DuplicateOpenClaimError,
    NotOrderBuyerError,
    OrderCancelledError,
    ProtectionWindowClosedError,
)
from services.disputes.domain.orders import OrderView
from services.disputes.domain.policy import DisputesPolicy
from services.disputes.domain.refunds import refund_for
from shared.contracts.disputes import (
    ClaimOpened,
    ClaimOpener,
    ClaimReason,
    ClaimWindow,
    LateClaimRefused,
    RequestedOutcome,
)
from shared.contracts.escrow import DeadlineKind, promise_broken
from shared.money import Money

# Reasons about the goods themselves can only be judged once the goods have arrived.
NEEDS_DELIVERY = frozenset(
    {
        ClaimReason.QUALITY_NOT_AS_AGREED,
        ClaimReason.QUANTITY_SHORT,
        ClaimReason.WRONG_ITEM,
        ClaimReason.DEFECTIVE,
        ClaimReason.DAMAGED,
        ClaimReason.COUNTERFEIT,
        ClaimReason.AFTER_SALES_NOT_PROVIDED,
    }
)


def protection_window_closes_at(order: OrderView) -> datetime | None:
    """End of escrow's money-back window; None while undelivered, because the window runs from delivery."""
    if order.delivered_at is None:
        return None
    return order.delivered_at + timedelta(days=order.protection_window_days)


def open_claim(
    order: OrderView,
    *,
    claim_id: str,
    buyer_id: str,
    reason: ClaimReason,
    requested_outcome: RequestedOutcome,
    amount: Money | None,
    description: str,
    open_claims: Sequence[Claim],
    now: datetime,
    policy: DisputesPolicy,
) -> tuple[Claim, list[ClaimOpened]]:
    """A buyer opens a claim on its own order; negotiation with the supplier starts."""
    if buyer_id != order.buyer_id:
        raise NotOrderBuyerError(f"{buyer_id} is not the buyer of order {order.order_id}")
    closes_at = protection_window_closes_at(order)
    if closes_at is not None and now > closes_at:
        raise _too_late(
            f"the protection window of {order.order_id} closed at {closes_at}",
            order,
            reason,
            ClaimWindow.MONEY_BACK,
            closes_at,
            now,
        )
    _require_claimable_now(order, reason, now)
    return _open(
        order,
        claim_id=claim_id,
        reason=reason,
        requested_outcome=requested_outcome,
        amount=amount,
        description=description,
        opened_by=ClaimOpener.BUYER,
        source=None,
        open_claims=open_claims,
        now=now,
        policy=policy,
    )


def open_platform_case(
    order: OrderView,
    *,
    claim_id: str,
    reason: ClaimReason,
    source: str,
    description: str,
    open_claims: Sequence[Claim],
    now: datetime,
    policy: DisputesPolicy,
    requested_outcome: RequestedOutcome = RequestedOutcome.FULL_REFUND,
) -> tuple[Claim, list[ClaimOpened]]:
    """The platform opens a case from an authoritative fact (loss, damage, failed inspection, lapsed SLA).

    It skips the buyer and window checks and goes straight to mediation: the fact is already established,
    so the platform intervenes at once instead of waiting out a negotiation.
    """
    claim, events = _open(
        order,
        claim_id=claim_id,
        reason=reason,
        requested_outcome=requested_outcome,
        amount=None,
        description=description,
        opened_by=ClaimOpener.PLATFORM,
        source=source,
        open_claims=open_claims,
        now=now,
        policy=policy,
    )
    return evolve(claim, status=ClaimStatus.ESCALATED, escalated_at=now), events


def _open(
    order: OrderView,
    *,
    claim_id: str,
    reason: ClaimReason,
    requested_outcome: RequestedOutcome,
    amount: Money | None,
    description: str,
    opened_by: ClaimOpener,
    source: str | None,
    open_claims: Sequence[Claim],
    now: datetime,
    policy: DisputesPolicy,
) -> tuple[Claim, list[ClaimOpened]]:
    if order.cancelled:
        raise OrderCancelledError(f"order {order.order_id} was cancelled and fully refunded")
    if any(c.is_open and c.order_id == order.order_id and c.reason is reason for c in open_claims):
        raise DuplicateOpenClaimError(f"order {order.order_id} already has an open {reason.value} claim")
    claim = evolve(
        Claim(
            claim_id=claim_id,
            order_id=order.order_id,
            buyer_id=order.buyer_id,
            supplier_id=order.supplier_id,
            reason=reason,
            requested_outcome=requested_outcome,
            amount=refund_for(requested_outcome, amount, order),
            description=description,
            opened_by=opened_by,
            source=source,
            opened_at=now,
            supplier_response_due_at=now + timedelta(days=policy.supplier_response_days),
            buyer_may_escalate_at=now + timedelta(days=policy.buyer_may_escalate_after_days),
            auto_escalation_at=now + timedelta(days=policy.auto_escalation_days),
            status=ClaimStatus.AWAITING_SUPPLIER,
        )
    )
    opened = ClaimOpened(
        **parties(claim),
        reason=reason,
        requested_outcome=requested_outcome,
        amount=claim.amount,
        opened_by=opened_by,
        source=source,
        opened_at=now,
    )
    return claim, [opened]


def _too_late(
    message: str,
    order: OrderView,
    reason: ClaimReason,
    window: ClaimWindow,
    closed_at: datetime,
    now: datetime,
) -> ProtectionWindowClosedError:
    refused = LateClaimRefused(
        order_id=order.order_id,
        buyer_id=order.buyer_id,
        supplier_id=order.supplier_id,
        reason=reason,
        window=window,
        window_closed_at=closed_at,
        refused_at=now,
    )
    return ProtectionWindowClosedError(message, refused)


def _require_claimable_now(order: OrderView, reason: ClaimReason, now: datetime) -> None:
    """Each reason becomes claimable when its fact can be true: late only after the promise was missed."""
    if reason in NEEDS_DELIVERY and order.delivered_at is None:
        raise ClaimPrematureError(f"{reason.value} can be claimed once the goods are delivered")
    if reason is ClaimReason.LATE_DISPATCH:
        _require_missed(DeadlineKind.DISPATCH, order.dispatch_deadline, order.dispatched_at, now)
    elif reason is ClaimReason.LATE_DELIVERY:
        _require_missed(DeadlineKind.DELIVERY, order.promised_delivery_at, order.delivered_at, now)
    elif reason is ClaimReason.NOT_RECEIVED and order.delivered_at is None and order.promised_delivery_at:
        _require_missed(DeadlineKind.DELIVERY, order.promised_delivery_at, None, now)


def _require_missed(
    deadline: DeadlineKind, due: datetime | None, done_at: datetime | None, now: datetime
) -> None:
    # Escrow's reading of its own promise, the same one logistics' SLA monitor applies.
    if due is None or not promise_broken(deadline, due, done_at, now):
        raise ClaimPrematureError(f"the {deadline.value} promise has not been broken")
