"""Disputes' numbers of PRODUCT.md §4 pinned at their edges: the boundary itself and one step either side."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from services.disputes.domain.after_sales import convert_overdue_request, fulfil_after_sales
from services.disputes.domain.claim import Claim, ClaimStatus
from services.disputes.domain.claim_opening import open_claim
from services.disputes.domain.errors import (
    AfterSalesSlaPassedError,
    ClaimPrematureError,
    ClaimTransitionRefusedError,
    EscalationTooEarlyError,
    InvalidDeadlineError,
    ProtectionWindowClosedError,
    RefundExceedsRefundableError,
    SupplierResponseOverdueError,
)
from services.disputes.domain.mediation import request_evidence
from services.disputes.domain.negotiation import (
    accept_claim,
    escalate,
    make_offer,
    mark_supplier_silent,
    reject_claim,
)
from services.disputes.domain.timers import TimerAction, due_timer_action
from shared.contracts.disputes import ClaimReason, EvidenceParty, RequestedOutcome
from shared.contracts.escrow import BuyerTier
from shared.money import Money

from .factories import (
    BUYER,
    MEDIATOR,
    NOW,
    POLICY,
    SUPPLIER,
    claim_under_mediation,
    delivered_order,
    funded_order,
    quality_claim,
    usd,
)
from .test_after_sales import _labelled_order, _request

INSTANT = timedelta(microseconds=1)
DAY = timedelta(days=1)
# (offset from the boundary instant, whether the action is still allowed) for a deadline that is exclusive
BEFORE_ONLY = [(-INSTANT, True), (timedelta(0), False), (INSTANT, False)]
# ... and for a last instant that is inclusive
UP_TO_AND_AT = [(-INSTANT, True), (timedelta(0), True), (INSTANT, False)]
FROM_ON = [(-INSTANT, False), (timedelta(0), True), (INSTANT, True)]


def _offer(claim: Claim, at: timedelta) -> None:
    make_offer(
        claim,
        delivered_order(),
        supplier_id=SUPPLIER,
        outcome=RequestedOutcome.PARTIAL_REFUND,
        refund=usd(10_000),
        note="20% off",
        now=NOW + at,
    )


@pytest.mark.parametrize(("offset", "allowed"), BEFORE_ONLY)
def test_the_supplier_answers_within_3_days(offset: timedelta, allowed: bool) -> None:
    if allowed:
        _offer(quality_claim(), 3 * DAY + offset)
    else:
        with pytest.raises(SupplierResponseOverdueError):
            _offer(quality_claim(), 3 * DAY + offset)


@pytest.mark.parametrize("answer", ["offer", "accept", "reject"])
def test_a_supplier_marked_silent_can_no_longer_answer(answer: str) -> None:
    # Given a claim whose supplier let the 3 days pass and was marked silent
    silent, _ = mark_supplier_silent(quality_claim())
    assert silent.status is ClaimStatus.SUPPLIER_SILENT
    now = NOW + 3 * DAY + INSTANT

    answers: dict[str, Callable[[], object]] = {
        "offer": lambda: _offer(silent, 3 * DAY + INSTANT),
        "accept": lambda: accept_claim(silent, delivered_order(), supplier_id=SUPPLIER, now=now),
        "reject": lambda: reject_claim(silent, supplier_id=SUPPLIER, now=now),
    }

    # Then no answer of the supplier is taken any more: only mediation can settle it
    with pytest.raises(ClaimTransitionRefusedError):
        answers[answer]()


@pytest.mark.parametrize(("offset", "allowed"), FROM_ON)
def test_the_buyer_may_escalate_from_day_4(offset: timedelta, allowed: bool) -> None:
    if allowed:
        escalated, _ = escalate(quality_claim(), buyer_id=BUYER, now=NOW + 3 * DAY + offset)
        assert escalated.status is ClaimStatus.ESCALATED
    else:
        with pytest.raises(EscalationTooEarlyError):
            escalate(quality_claim(), buyer_id=BUYER, now=NOW + 3 * DAY + offset)


@pytest.mark.parametrize(("offset", "due"), FROM_ON)
def test_a_silent_supplier_is_marked_at_its_3_day_deadline(offset: timedelta, due: bool) -> None:
    action = due_timer_action(quality_claim(), NOW + 3 * DAY + offset)
    assert (action is TimerAction.MARK_SUPPLIER_SILENT) is due


@pytest.mark.parametrize(("offset", "due"), FROM_ON)
def test_an_unresolved_claim_escalates_automatically_after_7_days(offset: timedelta, due: bool) -> None:
    silent, _ = mark_supplier_silent(quality_claim())
    action = due_timer_action(silent, NOW + 7 * DAY + offset)
    assert (action is TimerAction.ESCALATE) is due


@pytest.mark.parametrize(("tier", "days"), [(BuyerTier.STANDARD, 30), (BuyerTier.ENTERPRISE, 60)])
@pytest.mark.parametrize(("offset", "allowed"), UP_TO_AND_AT)
def test_a_claim_is_opened_inside_the_money_back_window_up_to_its_last_instant(
    tier: BuyerTier, days: int, offset: timedelta, allowed: bool
) -> None:
    # Given an order delivered two days before NOW; its window closes `days` after delivery
    order = delivered_order(tier=tier)
    assert order.delivered_at is not None
    now = order.delivered_at + days * DAY + offset
    if allowed:
        quality_claim(order, opened_at=now)
    else:
        with pytest.raises(ProtectionWindowClosedError):
            quality_claim(order, opened_at=now)


@pytest.mark.parametrize(("over", "allowed"), [(-1, True), (0, True), (1, False)])
def test_a_claim_asks_for_no_more_than_was_paid(over: int, allowed: bool) -> None:
    order = delivered_order()
    amount = Money(amount=order.refundable.amount + over, currency="USD")
    if allowed:
        assert quality_claim(order, outcome=RequestedOutcome.PARTIAL_REFUND, amount=amount).amount == amount
    else:
        with pytest.raises(RefundExceedsRefundableError):
            quality_claim(order, outcome=RequestedOutcome.PARTIAL_REFUND, amount=amount)


@pytest.mark.parametrize(("days", "allowed"), [(0, False), (1, True), (14, True), (15, False)])
def test_an_evidence_deadline_is_1_to_14_days(days: int, allowed: bool) -> None:
    def ask() -> None:
        request_evidence(
            claim_under_mediation(),
            mediator_id=MEDIATOR,
            request_id="ev-1",
            party=EvidenceParty.SUPPLIER,
            description="batch QC records",
            now=NOW + 4 * DAY,
            policy=POLICY,
            respond_within_days=days,
        )

    if allowed:
        ask()
    else:
        with pytest.raises(InvalidDeadlineError):
            ask()


@pytest.mark.parametrize(("offset", "allowed"), BEFORE_ONLY)
def test_after_sales_is_fulfilled_within_its_7_day_sla(offset: timedelta, allowed: bool) -> None:
    now = NOW + 7 * DAY + offset
    if allowed:
        fulfil_after_sales(_request(), supplier_id=SUPPLIER, now=now)
    else:
        with pytest.raises(AfterSalesSlaPassedError):
            fulfil_after_sales(_request(), supplier_id=SUPPLIER, now=now)


@pytest.mark.parametrize(("offset", "converted"), FROM_ON)
def test_an_after_sales_request_becomes_a_claim_when_its_sla_ends(offset: timedelta, converted: bool) -> None:
    _, claim, _ = convert_overdue_request(
        _request(),
        _labelled_order(),
        claim_id="c-1",
        open_claims=[],
        now=NOW + 7 * DAY + offset,
        policy=POLICY,
    )
    assert (claim is not None and claim.reason is ClaimReason.AFTER_SALES_NOT_PROVIDED) is converted


@pytest.mark.parametrize(("offset", "allowed"), FROM_ON)
def test_late_delivery_is_claimable_before_the_goods_arrive_from_the_promised_instant(
    offset: timedelta, allowed: bool
) -> None:
    # Given an order promised for delivery 10 days after NOW, still on its way
    order = funded_order()
    assert order.delivered_at is None
    assert order.promised_delivery_at is not None
    now = order.promised_delivery_at + offset

    def claim_late() -> None:
        open_claim(
            order,
            claim_id="c-1",
            buyer_id=BUYER,
            reason=ClaimReason.LATE_DELIVERY,
            requested_outcome=RequestedOutcome.PARTIAL_REFUND,
            amount=usd(5_000),
            description="still not here",
            open_claims=[],
            now=now,
            policy=POLICY,
        )

    if allowed:
        claim_late()
    else:
        with pytest.raises(ClaimPrematureError):
            claim_late()
