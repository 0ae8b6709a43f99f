"""Refund policy and refunds: only from a cancellation or a dispute decision, never above what was paid."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.escrow import OrderStatus, OrderUnfrozen, RefundCause, RefundIssued, RefundSource
from shared.money import Money

from .claims import freeze_order, still_open
from .errors import IdempotencyConflictError, RefundRefusedError
from .journal import JournalEntry
from .journal_entries import refund_from_escrow_entry, refund_from_guarantee_fund_entry
from .money_back import within_money_back_window
from .order import Order, OrderChange, RefundRecord, parties


class RefundRequest(BaseModel):
    """`refund_id` names the cause (the cancellation, the dispute decision) so it is applied once."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    refund_id: str = Field(min_length=1)
    cause: RefundCause
    amount: Money
    claim_id: str | None = None


class RefundDenial(StrEnum):
    ORDER_NOT_PAID = "order_not_paid"
    CURRENCY_MISMATCH = "currency_mismatch"
    AMOUNT_NOT_POSITIVE = "amount_not_positive"
    EXCEEDS_REFUNDABLE = "exceeds_refundable"
    ALREADY_SHIPPED = "already_shipped"
    CANCELLATION_NOT_FULL = "cancellation_not_full"
    NO_OPEN_CLAIM = "no_open_claim"
    MONEY_BACK_WINDOW_CLOSED = "money_back_window_closed"


class RefundVerdict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    allowed: bool
    reason: str
    source: RefundSource | None = None

    @classmethod
    def deny(cls, reason: RefundDenial) -> RefundVerdict:
        return cls(allowed=False, reason=reason.value)


def assess_refund(order: Order, request: RefundRequest) -> RefundVerdict:
    """Allow or deny a refund, with the reason; an allowed one says where the money comes from.

    Every limit it applies is the order's own (what was paid, the money-back window its contract froze):
    no policy value of today changes what an order already placed may get back."""
    if order.paid.amount == 0:
        return RefundVerdict.deny(RefundDenial.ORDER_NOT_PAID)
    if request.amount.currency != order.currency:
        return RefundVerdict.deny(RefundDenial.CURRENCY_MISMATCH)
    if request.amount.amount <= 0:
        return RefundVerdict.deny(RefundDenial.AMOUNT_NOT_POSITIVE)
    if order.refundable < request.amount:
        return RefundVerdict.deny(RefundDenial.EXCEEDS_REFUNDABLE)
    if request.cause is RefundCause.CANCELLATION:
        if order.shipped_at is not None:
            return RefundVerdict.deny(RefundDenial.ALREADY_SHIPPED)
        if request.amount != order.refundable:
            return RefundVerdict.deny(RefundDenial.CANCELLATION_NOT_FULL)
    else:
        claim = None if request.claim_id is None else order.open_claim(request.claim_id)
        if claim is None:
            return RefundVerdict.deny(RefundDenial.NO_OPEN_CLAIM)
        # A decision may come after the window ends; what counts is that the claim was opened inside it.
        if not within_money_back_window(order, claim.opened_at):
            return RefundVerdict.deny(RefundDenial.MONEY_BACK_WINDOW_CLOSED)
    source = RefundSource.GUARANTEE_FUND if order.release else RefundSource.ESCROW
    return RefundVerdict(allowed=True, reason="allowed", source=source)


def refund_by_decision(
    order: Order, *, decision_id: str, claim_id: str, amount: Money, now: datetime
) -> OrderChange:
    """Apply a dispute decision's refund: it resolves the claim and leaves the order (partially) refunded."""
    request = RefundRequest(
        refund_id=decision_id, cause=RefundCause.DISPUTE_DECISION, amount=amount, claim_id=claim_id
    )
    if _already_applied(order, request):
        return OrderChange.unchanged(order)
    record = checked_refund(order, request, now)
    refunded = order.refunded_from() + amount
    status = OrderStatus.REFUNDED if refunded == order.paid else OrderStatus.PARTIALLY_REFUNDED
    remaining = still_open(order, claim_id)
    refunds = (*order.refunds, record)
    entries = (refund_entry(order, record),)
    if remaining and status is OrderStatus.PARTIALLY_REFUNDED:
        # Another claim is still open: the order stays frozen, and resumes as partially refunded.
        resolved = (*order.resolved_claim_ids, claim_id)
        new = order.updated(
            refunds=refunds, frozen_from=status, open_claims=remaining, resolved_claim_ids=resolved
        )
        return OrderChange(order=new, events=(refund_issued(new, record),), entries=entries)
    # Refunded in full, nothing is left for another open claim to protect: every claim ends here.
    resolved = (*order.resolved_claim_ids, claim_id, *(claim.claim_id for claim in remaining))
    new = order.moved_to(
        status, refunds=refunds, open_claims=(), frozen_from=None, resolved_claim_ids=resolved
    )
    unfrozen = OrderUnfrozen(**parties(new), claim_id=claim_id, resumed_status=status, unfrozen_at=now)
    return OrderChange(order=new, events=(refund_issued(new, record), unfrozen), entries=entries)


def refund_easy_return(order: Order, *, return_id: str, amount: Money, now: datetime) -> OrderChange:
    """A return the warehouse received under Easy Return is decided by the programme itself.

    It is booked as a platform claim opened and decided at once, so the money-back window, the refund
    bound, the guarantee-fund rule after release and the ledger apply exactly as for a mediator's decision.
    """
    claim_id = f"easy-return:{return_id}"
    frozen = freeze_order(order, claim_id, now)
    refunded = refund_by_decision(
        frozen.order, decision_id=claim_id, claim_id=claim_id, amount=amount, now=now
    )
    if not refunded.changed:
        return OrderChange.unchanged(order)
    return OrderChange(
        order=refunded.order,
        events=(*frozen.events, *refunded.events),
        entries=(*frozen.entries, *refunded.entries),
    )


def checked_refund(order: Order, request: RefundRequest, now: datetime) -> RefundRecord:
    """The record of a refund the policy allows; raises RefundRefusedError with the policy's reason."""
    verdict = assess_refund(order, request)
    if not verdict.allowed or verdict.source is None:
        raise RefundRefusedError(verdict.reason, f"refund {request.refund_id} refused: {verdict.reason}")
    return RefundRecord(
        refund_id=request.refund_id,
        cause=request.cause,
        source=verdict.source,
        amount=request.amount,
        claim_id=request.claim_id,
        issued_at=now,
    )


def refund_issued(order: Order, record: RefundRecord, *, after_cancellation: bool = False) -> RefundIssued:
    return RefundIssued(
        **parties(order),
        refund_id=record.refund_id,
        cause=record.cause,
        source=record.source,
        amount=record.amount,
        total_refunded=order.refunded_from(),
        paid=order.paid,
        claim_id=record.claim_id,
        issued_at=record.issued_at,
        after_cancellation=after_cancellation,
    )


def refund_entry(order: Order, record: RefundRecord) -> JournalEntry:
    """The journal entry of a refund, from escrow before release and from the guarantee fund after."""
    if record.source is RefundSource.ESCROW:
        return refund_from_escrow_entry(
            order_id=order.order_id,
            refund_id=record.refund_id,
            amount=record.amount,
            booked_at=record.issued_at,
        )
    return refund_from_guarantee_fund_entry(
        order_id=order.order_id,
        supplier_id=order.supplier_id,
        refund_id=record.refund_id,
        amount=record.amount,
        booked_at=record.issued_at,
    )


def _already_applied(order: Order, request: RefundRequest) -> bool:
    for refund in order.refunds:
        if refund.refund_id == request.refund_id:
            if refund.amount != request.amount or refund.cause is not request.cause:
                raise IdempotencyConflictError(f"refund {request.refund_id} was applied with other terms")
            return True
    return False
