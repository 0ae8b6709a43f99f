"""The resolution saga: a settled claim waits for the return, then for the refund, then is resolved."""

from __future__ import annotations

from datetime import datetime

from services.disputes.domain.claim import Claim, ClaimAction, ClaimStatus, Settlement, evolve, guard, parties
from shared.contracts.disputes import (
    ClaimResolved,
    ClaimSettled,
    RefundRequested,
    ReturnRequested,
)
from shared.messaging.envelope import Event


def settle(claim: Claim, settlement: Settlement) -> tuple[Claim, list[Event]]:
    """Fix the claim's one outcome and start what it requires: a return, a refund, or nothing more."""
    settled = ClaimSettled(
        **parties(claim),
        kind=settlement.kind,
        refund=settlement.refund,
        return_required=settlement.return_required,
        settled_by=settlement.settled_by,
        rationale=settlement.rationale,
        settled_at=settlement.settled_at,
    )
    claim = evolve(claim, settlement=settlement)
    if settlement.return_required:
        requested = ReturnRequested(**parties(claim), requested_at=settlement.settled_at)
        return evolve(claim, status=ClaimStatus.AWAITING_RETURN), [settled, requested]
    claim, next_events = _refund_or_resolve(claim, settlement.settled_at)
    return claim, [settled, *next_events]


def record_return_received(claim: Claim, now: datetime) -> tuple[Claim, list[Event]]:
    """The goods are back at the warehouse: ask escrow for the refund. A repeated report changes nothing."""
    if claim.status in (ClaimStatus.REFUND_REQUESTED, ClaimStatus.RESOLVED):
        return claim, []
    guard(claim, ClaimAction.RECORD_RETURN)
    return _refund_or_resolve(claim, now)


def record_refund_issued(claim: Claim, now: datetime) -> tuple[Claim, list[Event]]:
    """Escrow paid the refund this claim asked for: the claim is resolved. Repeats change nothing."""
    if claim.status is ClaimStatus.RESOLVED:
        return claim, []
    guard(claim, ClaimAction.RECORD_REFUND)
    return _resolve(claim, now)


def _refund_or_resolve(claim: Claim, now: datetime) -> tuple[Claim, list[Event]]:
    settlement = _settlement_of(claim)
    if settlement.refund.amount == 0:
        return _resolve(claim, now)
    requested = RefundRequested(
        **parties(claim), amount=settlement.refund, reason=claim.reason, requested_at=now
    )
    return evolve(claim, status=ClaimStatus.REFUND_REQUESTED), [requested]


def _resolve(claim: Claim, now: datetime) -> tuple[Claim, list[Event]]:
    settlement = _settlement_of(claim)
    resolved = ClaimResolved(
        **parties(claim),
        reason=claim.reason,
        decision=settlement.kind,
        refund=settlement.refund,
        return_required=settlement.return_required,
        settled_by=settlement.settled_by,
        resolved_at=now,
    )
    return evolve(claim, status=ClaimStatus.RESOLVED, closed_at=now), [resolved]


def _settlement_of(claim: Claim) -> Settlement:
    # Only reachable after settle(); a claim in a settling status always carries its settlement.
    assert claim.settlement is not None
    return claim.settlement
