"""Refunds: only from cancellations and dispute decisions, within the window, never above what was paid."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.escrow.domain import accounts
from services.escrow.domain.claims import freeze_order
from services.escrow.domain.errors import IdempotencyConflictError, RefundRefusedError
from services.escrow.domain.journal import EntryKind
from services.escrow.domain.order import OpenClaim, Order, OrderChange
from services.escrow.domain.refunds import (
    RefundDenial,
    RefundRequest,
    assess_refund,
    refund_by_decision,
    refund_easy_return,
)
from services.escrow.domain.release import auto_confirm, confirm_receipt
from shared.contracts import escrow as events
from shared.contracts.escrow import BuyerTier, OrderStatus, RefundCause, RefundSource
from shared.money import Money

from .factories import DELIVERED_AT, POLICY, delivered, funded, money

CLAIMED_AT = DELIVERED_AT + timedelta(days=5)
DECIDED_AT = DELIVERED_AT + timedelta(days=20)


def decision(amount: Money, refund_id: str = "d-1", claim_id: str = "c-1") -> RefundRequest:
    return RefundRequest(
        refund_id=refund_id, cause=RefundCause.DISPUTE_DECISION, amount=amount, claim_id=claim_id
    )


def decide(
    order: Order, amount: Money, decision_id: str = "d-1", claim_id: str = "c-1", *, at: datetime = DECIDED_AT
) -> OrderChange:
    return refund_by_decision(order, decision_id=decision_id, claim_id=claim_id, amount=amount, now=at)


def claimed(order: Order) -> Order:
    return freeze_order(order, "c-1", CLAIMED_AT).order


def released_then_claimed(currency: str = "USD") -> Order:
    completed = confirm_receipt(
        delivered(currency),
        buyer_id="b-1",
        now=DELIVERED_AT,
        policy=POLICY,
        owed_by_supplier=money(0, currency),
    ).order
    return claimed(completed)


def test_refund_never_exceeds_the_paid_amount() -> None:
    verdict = assess_refund(claimed(delivered("USD")), decision(money(214_901)))

    assert not verdict.allowed
    assert verdict.reason == RefundDenial.EXCEEDS_REFUNDABLE


def test_refunds_together_never_exceed_the_paid_amount() -> None:
    # Given $1,000.00 already refunded by a first decision, and the order claimed again
    first = decide(claimed(delivered("USD")), money(100_000), at=DECIDED_AT).order
    again = freeze_order(first, "c-2", DECIDED_AT).order

    verdict = assess_refund(again, decision(money(114_901), "d-2", "c-2"))

    assert verdict.reason == RefundDenial.EXCEEDS_REFUNDABLE


def test_dispute_refund_needs_the_open_claim_it_decides() -> None:
    verdict = assess_refund(delivered("USD"), decision(money(1_000)))

    assert verdict.reason == RefundDenial.NO_OPEN_CLAIM


def test_refund_of_an_unpaid_order_is_denied() -> None:
    order = funded("USD").model_copy(update={"paid": money(0)})

    assert assess_refund(order, decision(money(1))).reason == RefundDenial.ORDER_NOT_PAID


@pytest.mark.parametrize("amount", [money(0), money(-5), money(100, "EUR")])
def test_refund_amount_must_be_positive_and_in_the_order_currency(amount: Money) -> None:
    assert not assess_refund(claimed(delivered("USD")), decision(amount)).allowed


def test_money_back_window_is_judged_when_the_claim_was_opened() -> None:
    # Given a standard buyer's claim opened on day 30 after delivery, decided on day 45
    order = freeze_order(delivered("USD"), "c-1", DELIVERED_AT + timedelta(days=30)).order

    verdict = assess_refund(order, decision(money(1_000)))

    assert verdict.allowed


def test_money_back_window_is_longer_for_enterprise_buyers() -> None:
    # Given a claim recorded as opened 45 days after delivery (the window is checked again at refund)
    opened = DELIVERED_AT + timedelta(days=45)
    opened_late = {"open_claims": (OpenClaim(claim_id="c-1", opened_at=opened),)}
    standard = claimed(delivered("USD")).model_copy(update=opened_late)
    enterprise = claimed(delivered("USD", BuyerTier.ENTERPRISE)).model_copy(update=opened_late)

    assert assess_refund(standard, decision(money(1_000))).reason == RefundDenial.MONEY_BACK_WINDOW_CLOSED
    assert assess_refund(enterprise, decision(money(1_000))).allowed


def test_cancellation_refunds_are_full_and_before_shipment_only() -> None:
    order = funded("USD")
    partial = RefundRequest(refund_id="x", cause=RefundCause.CANCELLATION, amount=money(1_000))
    shipped_order = delivered("USD")
    full = RefundRequest(refund_id="x", cause=RefundCause.CANCELLATION, amount=money(214_900))

    assert assess_refund(order, partial).reason == RefundDenial.CANCELLATION_NOT_FULL
    assert assess_refund(shipped_order, full).reason == RefundDenial.ALREADY_SHIPPED


@pytest.mark.parametrize(("currency", "amount"), [("JPY", 133_000), ("USD", 214_900), ("KWD", 325_000)])
def test_full_refund_before_release_comes_from_escrow(currency: str, amount: int) -> None:
    change = decide(claimed(delivered(currency)), money(amount, currency), at=DECIDED_AT)

    assert change.order.status is OrderStatus.REFUNDED
    assert change.order.held.amount == 0
    (entry,) = change.entries
    assert entry.kind is EntryKind.REFUND_FROM_ESCROW
    assert {p.account: p.amount.amount for p in entry.postings} == {
        accounts.order_escrow("o-1"): -amount,
        accounts.PROVIDER_CLEARING: amount,
    }
    assert [type(e) for e in change.events] == [events.RefundIssued, events.OrderUnfrozen]


def test_partial_refund_leaves_the_rest_in_escrow_for_release() -> None:
    # Given a decision refunding $400.00 of $2,149.00
    refunded = decide(claimed(delivered("USD")), money(40_000), at=DECIDED_AT).order

    # When the auto-confirm timer fires
    released = auto_confirm(refunded, now=DECIDED_AT, policy=POLICY, owed_by_supplier=money(0))

    # Then the remaining $1,749.00 is released
    assert refunded.status is OrderStatus.PARTIALLY_REFUNDED
    assert released.order.status is OrderStatus.COMPLETED
    assert released.order.release is not None
    assert released.order.release.amount == money(174_900)


@pytest.mark.parametrize(("currency", "amount"), [("JPY", 50_000), ("USD", 40_000), ("KWD", 100_500)])
def test_refund_after_release_is_paid_by_the_guarantee_fund_and_owed_by_the_supplier(
    currency: str, amount: int
) -> None:
    change = decide(released_then_claimed(currency), money(amount, currency), at=DECIDED_AT)

    assert change.order.refunded_from(RefundSource.GUARANTEE_FUND) == money(amount, currency)
    assert change.order.status is OrderStatus.PARTIALLY_REFUNDED
    (entry,) = change.entries
    assert entry.kind is EntryKind.REFUND_FROM_GUARANTEE_FUND
    flows = [(p.account, p.amount.amount) for p in entry.postings]
    assert (accounts.GUARANTEE_FUND, -amount) in flows  # the fund pays the buyer
    assert (accounts.PROVIDER_CLEARING, amount) in flows
    assert (accounts.supplier_receivable("s-1"), -amount) in flows  # and the supplier owes it back


def test_the_same_decision_refunds_once() -> None:
    refunded = decide(claimed(delivered("USD")), money(40_000), at=DECIDED_AT).order

    assert not decide(refunded, money(40_000), at=DECIDED_AT).changed


def test_a_decision_id_reused_with_another_amount_is_a_conflict() -> None:
    refunded = decide(claimed(delivered("USD")), money(40_000), at=DECIDED_AT).order

    with pytest.raises(IdempotencyConflictError):
        decide(refunded, money(50_000), at=DECIDED_AT)


def test_a_denied_refund_raises_with_the_policy_reason() -> None:
    with pytest.raises(RefundRefusedError) as refused:
        decide(claimed(delivered("USD")), money(999_999), at=DECIDED_AT)

    assert refused.value.reason == RefundDenial.EXCEEDS_REFUNDABLE
    assert refused.value.code == "refund_refused"


def test_an_easy_return_received_at_the_warehouse_refunds_once_and_holds_nothing_back() -> None:
    order = delivered()
    now = DELIVERED_AT + timedelta(days=10)

    change = refund_easy_return(order, return_id="r-1", amount=order.paid, now=now)
    again = refund_easy_return(change.order, return_id="r-1", amount=order.paid, now=now)

    assert change.order.status is OrderStatus.REFUNDED
    assert change.order.refunded_from() == order.paid
    assert [type(event).__name__ for event in change.events] == [
        "OrderFrozen",
        "RefundIssued",
        "OrderUnfrozen",
    ]
    assert not again.changed


def test_an_easy_return_cannot_refund_more_than_was_paid() -> None:
    order = delivered()
    with pytest.raises(RefundRefusedError):
        refund_easy_return(
            order,
            return_id="r-2",
            amount=order.paid + money(1),
            now=DELIVERED_AT + timedelta(days=1),
        )


@pytest.mark.parametrize(("amount", "allowed"), [(0, False), (1, True)])
def test_the_smallest_refund_is_one_minor_unit(amount: int, allowed: bool) -> None:
    verdict = assess_refund(claimed(delivered("USD")), decision(money(amount)))

    assert (verdict.allowed, verdict.reason) == (
        (True, "allowed") if allowed else (False, RefundDenial.AMOUNT_NOT_POSITIVE.value)
    )


def test_refunds_of_an_order_add_up() -> None:
    first = decide(claimed(delivered("USD")), money(40_000), at=DECIDED_AT).order
    second = decide(freeze_order(first, "c-2", DECIDED_AT).order, money(5_000), "d-2", "c-2").order

    assert second.refunded_from() == money(45_000)
    assert second.refunded_from(RefundSource.ESCROW) == money(45_000)
    assert second.held == money(214_900 - 45_000)


def test_a_decisions_refund_names_its_claim_and_is_booked_under_its_decision() -> None:
    change = decide(released_then_claimed(), money(40_000), at=DECIDED_AT)

    (record,) = change.order.refunds
    assert record.claim_id == "c-1"
    (issued, _) = change.events
    assert isinstance(issued, events.RefundIssued)
    assert (issued.claim_id, issued.after_cancellation) == ("c-1", False)
    assert [entry.entry_id for entry in change.entries] == ["refund:o-1:d-1"]


def test_a_refund_before_release_is_booked_under_its_decision() -> None:
    change = decide(claimed(delivered("USD")), money(40_000), at=DECIDED_AT)

    assert [entry.entry_id for entry in change.entries] == ["refund:o-1:d-1"]


def test_a_refused_refund_says_which_refund_and_why() -> None:
    with pytest.raises(RefundRefusedError, match=r"^refund d-1 refused: exceeds_refundable$"):
        decide(claimed(delivered("USD")), money(999_999), at=DECIDED_AT)


def test_an_easy_return_books_its_refund() -> None:
    order = delivered()

    change = refund_easy_return(
        order, return_id="r-1", amount=money(1_000), now=DELIVERED_AT + timedelta(days=1)
    )

    assert [entry.entry_id for entry in change.entries] == ["refund:o-1:easy-return:r-1"]
