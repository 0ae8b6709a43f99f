"""On-time delivery guarantee: buyer credit for a missed dispatch or delivery promise, once per order."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from shared.contracts.escrow import CompensationIssued, DeadlineKind, promise_broken
from shared.money import Money

from .errors import CompensationRefusedError
from .journal_entries import compensation_entry
from .order import CompensationRecord, MissedDeadline, Order, OrderChange, parties
from .policy import EscrowPolicy


class CompensationDenial(StrEnum):
    ORDER_NOT_PAID = "order_not_paid"
    ALREADY_COMPENSATED = "already_compensated"
    DEADLINE_NOT_MISSED = "deadline_not_missed"
    NOTHING_TO_PAY = "nothing_to_pay"
    NOT_AUTOMATIC_FOR_TIER = "not_automatic_for_tier"
    NOT_YET_DUE = "not_yet_due"
    CLAIM_WINDOW_CLOSED = "claim_window_closed"


class CompensationVerdict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    allowed: bool
    reason: str
    amount: Money | None = None

    @classmethod
    def deny(cls, reason: CompensationDenial) -> CompensationVerdict:
        return cls(allowed=False, reason=reason.value)


def record_missed_deadline(order: Order, deadline: DeadlineKind, late_from: datetime) -> OrderChange:
    """Logistics reported a broken promise; the first report of each kind counts."""
    if any(missed.deadline is deadline for missed in order.missed_deadlines):
        return OrderChange.unchanged(order)
    missed = MissedDeadline(deadline=deadline, late_from=late_from)
    return OrderChange(order=order.updated(missed_deadlines=(*order.missed_deadlines, missed)))


def assess_compensation(
    order: Order, deadline: DeadlineKind, *, automatic: bool, now: datetime
) -> CompensationVerdict:
    """Automatic for enterprise tiers once the promise is broken; claimable by others within the window.

    Cap, tier and window are the contract's frozen protection, the cap at the contract's rate: every currency
    gets the same answer, and an allowed verdict always moves money (paid > 0, so its amount is > 0)."""
    missed = _missed(order, deadline)
    protection = order.contract.terms.protection
    if order.paid.amount == 0:
        return CompensationVerdict.deny(CompensationDenial.ORDER_NOT_PAID)
    if order.compensation is not None:
        return CompensationVerdict.deny(CompensationDenial.ALREADY_COMPENSATED)
    if missed is None:
        return CompensationVerdict.deny(CompensationDenial.DEADLINE_NOT_MISSED)
    if automatic and not protection.automatic_compensation:
        return CompensationVerdict.deny(CompensationDenial.NOT_AUTOMATIC_FOR_TIER)
    if now < missed.late_from:
        return CompensationVerdict.deny(CompensationDenial.NOT_YET_DUE)
    if not automatic and now > compensation_claimable_until(order, missed):
        return CompensationVerdict.deny(CompensationDenial.CLAIM_WINDOW_CLOSED)
    amount = protection.compensation_cap.min(order.paid)
    if amount.amount <= 0:  # a cap that rounds to nothing in the order's minor unit: no credit to promise
        return CompensationVerdict.deny(CompensationDenial.NOTHING_TO_PAY)
    return CompensationVerdict(allowed=True, reason="allowed", amount=amount)


def compensation_claimable_until(order: Order, missed: MissedDeadline) -> datetime:
    """The last instant of the contract's claim window after the broken promise (inclusive)."""
    return missed.late_from + timedelta(days=order.contract.terms.protection.compensation_claim_window_days)


def automatic_compensation_due_at(order: Order) -> datetime | None:
    """When the timer should credit an enterprise buyer: as soon as the earliest promise is broken."""
    if order.compensation is not None or not order.contract.terms.protection.automatic_compensation:
        return None
    if order.paid.amount == 0:
        return None  # it would only be refused: no timer for it
    return min((missed.late_from for missed in order.missed_deadlines), default=None)


def issue_compensation(
    order: Order, deadline: DeadlineKind, *, automatic: bool, now: datetime, policy: EscrowPolicy
) -> OrderChange:
    """Credit the buyer; a repeated automatic trigger changes nothing, a second claim is refused."""
    if automatic and order.compensation is not None:
        return OrderChange.unchanged(order)
    verdict = assess_compensation(order, deadline, automatic=automatic, now=now)
    missed = _missed(order, deadline)
    if not verdict.allowed or verdict.amount is None or missed is None:
        raise CompensationRefusedError(verdict.reason, f"compensation refused: {verdict.reason}")
    record = CompensationRecord(
        deadline=deadline,
        amount=verdict.amount,
        funded_by=policy.compensation_funded_by,
        automatic=automatic,
        issued_at=now,
    )
    new = order.updated(compensation=record)
    event = CompensationIssued(
        **parties(new),
        deadline=deadline,
        late_from=missed.late_from,
        amount=record.amount,
        funded_by=record.funded_by,
        automatic=automatic,
        issued_at=now,
    )
    entry = compensation_entry(
        order_id=new.order_id,
        buyer_id=new.buyer_id,
        amount=record.amount,
        funded_by=record.funded_by,
        booked_at=now,
    )
    return OrderChange(order=new, events=(event,), entries=(entry,))


def _missed(order: Order, deadline: DeadlineKind) -> MissedDeadline | None:
    return next((missed for missed in order.missed_deadlines if missed.deadline is deadline), None)


def record_missed_by_promise(order: Order, deadline: DeadlineKind, now: datetime) -> OrderChange:
    """Escrow's own promise shows the deadline broken (nothing shipped or delivered in time) even when
    logistics' report has not arrived yet: record it, so a claim need not wait for the report."""
    if order.promise is None:
        return OrderChange.unchanged(order)
    late_from = order.promise.late_from(deadline)
    done_at = order.shipped_at if deadline is DeadlineKind.DISPATCH else order.delivered_at
    if not promise_broken(deadline, late_from, done_at, now):
        return OrderChange.unchanged(order)
    # A deadline already recorded (by logistics' report or an earlier check) keeps its instant.
    return record_missed_deadline(order, deadline, late_from)
