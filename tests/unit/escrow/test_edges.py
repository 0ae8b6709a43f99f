"""Escrow's numbers of PRODUCT.md §2 pinned at their edges: the boundary itself and one step either side."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.escrow.domain.compensation import (
    CompensationDenial,
    assess_compensation,
    automatic_compensation_due_at,
)
from services.escrow.domain.errors import AutoConfirmNotDueError
from services.escrow.domain.journal_entries import split_release
from services.escrow.domain.money_back import within_money_back_window
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.refunds import RefundDenial, RefundRequest, assess_refund
from services.escrow.domain.release import auto_confirm
from shared.contracts.escrow import BuyerTier, DeadlineKind, RefundCause

from .factories import DELIVERED_AT, POLICY, delivered, funded, money
from .test_compensation import late

INSTANT = timedelta(microseconds=1)
DAY = timedelta(days=1)
EDGE = [(-INSTANT, True), (timedelta(0), True), (INSTANT, False)]  # (offset from the last instant, allowed)


@pytest.mark.parametrize(("offset", "due"), [(-INSTANT, False), (timedelta(0), True), (INSTANT, True)])
def test_auto_confirm_releases_from_14_days_after_delivery(offset: timedelta, due: bool) -> None:
    now = DELIVERED_AT + 14 * DAY + offset
    if due:
        released = auto_confirm(delivered(), now=now, policy=POLICY, owed_by_supplier=money(0))
        assert released.order.completed_at == now
    else:
        with pytest.raises(AutoConfirmNotDueError):
            auto_confirm(delivered(), now=now, policy=POLICY, owed_by_supplier=money(0))


@pytest.mark.parametrize(("gross", "fee"), [(10_000, 200), (24, 0), (25, 1), (26, 1), (74, 1), (75, 2)])
def test_the_platform_fee_is_2_percent_rounded_half_up(gross: int, fee: int) -> None:
    split = split_release(money(gross), POLICY.platform_fee_bps, money(0))
    assert split.platform_fee == money(fee)
    assert split.supplier_payout == money(gross - fee)


@pytest.mark.parametrize(
    ("tier", "days"), [(BuyerTier.STANDARD, 30), (BuyerTier.ENTERPRISE, 60), (BuyerTier.ENTERPRISE_PRO, 60)]
)
@pytest.mark.parametrize(("offset", "inside"), EDGE)
def test_the_money_back_window_ends_30_or_60_days_after_delivery(
    tier: BuyerTier, days: int, offset: timedelta, inside: bool
) -> None:
    order = delivered(tier=tier)
    assert within_money_back_window(order, DELIVERED_AT + days * DAY + offset) is inside


@pytest.mark.parametrize(("offset", "allowed"), EDGE)
def test_compensation_is_claimable_until_30_days_after_the_broken_promise(
    offset: timedelta, allowed: bool
) -> None:
    order = late()
    now = order.missed_deadlines[0].late_from + 30 * DAY + offset
    verdict = assess_compensation(order, DeadlineKind.DELIVERY, automatic=False, now=now)
    assert verdict.allowed is allowed
    if not allowed:
        assert verdict.reason == CompensationDenial.CLAIM_WINDOW_CLOSED.value


@pytest.mark.parametrize(("offset", "due"), [(-INSTANT, False), (timedelta(0), True), (INSTANT, True)])
def test_enterprise_compensation_is_automatic_from_the_instant_the_promise_breaks(
    offset: timedelta, due: bool
) -> None:
    order = late(tier=BuyerTier.ENTERPRISE)
    late_from = order.missed_deadlines[0].late_from
    assert automatic_compensation_due_at(order) == late_from
    verdict = assess_compensation(order, DeadlineKind.DELIVERY, automatic=True, now=late_from + offset)
    assert verdict.allowed is due


@pytest.mark.parametrize(("cap_offset", "paid_offset"), [(-1, -1), (0, 0), (1, 0)])
def test_compensation_is_the_cap_or_what_was_paid_whichever_is_less(
    cap_offset: int, paid_offset: int
) -> None:
    # Given an order placed under a cap one minor unit below, at, and above what the buyer paid
    paid = late().paid.amount
    order = late(policy=EscrowPolicy(compensation_cap=money(paid + cap_offset)))

    # Then the credit is the smaller of the two
    verdict = assess_compensation(
        order, DeadlineKind.DELIVERY, automatic=False, now=order.missed_deadlines[0].late_from
    )
    assert verdict.amount == money(paid + paid_offset)


@pytest.mark.parametrize(
    ("offset", "denial"),
    [(-1, RefundDenial.CANCELLATION_NOT_FULL), (0, None), (1, RefundDenial.EXCEEDS_REFUNDABLE)],
)
def test_a_refund_never_exceeds_what_was_paid(offset: int, denial: RefundDenial | None) -> None:
    order = funded()
    request = RefundRequest(
        refund_id="cancel-1", cause=RefundCause.CANCELLATION, amount=money(order.paid.amount + offset)
    )
    verdict = assess_refund(order, request)
    assert verdict.allowed is (denial is None)
    if denial is not None:
        assert verdict.reason == denial.value
