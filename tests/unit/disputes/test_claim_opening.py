"""Who may open a claim, for what, how much and when; platform cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest

from services.disputes.domain.claim import Claim, ClaimStatus
from services.disputes.domain.claim_opening import open_claim, open_platform_case
from services.disputes.domain.errors import (
    ClaimPrematureError,
    DuplicateOpenClaimError,
    InvalidAmountError,
    NotOrderBuyerError,
    OrderCancelledError,
    ProtectionWindowClosedError,
    RefundExceedsRefundableError,
)
from services.disputes.domain.orders import (
    OrderView,
    record_cancellation,
    record_delivery,
    record_dispatch,
    record_refund,
)
from shared.contracts.disputes import ClaimOpened, ClaimOpener, ClaimReason, RequestedOutcome
from shared.contracts.escrow import BuyerTier
from shared.money import Money
from tests.unit.disputes.factories import (
    BUYER,
    NOW,
    POLICY,
    SUPPLIER,
    delivered_order,
    funded_order,
    quality_claim,
    usd,
)


def _open(
    order: OrderView,
    *,
    buyer_id: str = BUYER,
    reason: ClaimReason = ClaimReason.QUALITY_NOT_AS_AGREED,
    outcome: RequestedOutcome = RequestedOutcome.PARTIAL_REFUND,
    amount: Money | None = None,
    open_claims: Sequence[Claim] = (),
    now: datetime = NOW,
) -> tuple[Claim, list[ClaimOpened]]:
    return open_claim(
        order,
        claim_id="claim-2",
        buyer_id=buyer_id,
        reason=reason,
        requested_outcome=outcome,
        amount=amount,
        description="see photos",
        open_claims=open_claims,
        now=now,
        policy=POLICY,
    )


def test_buyer_opens_claim_and_negotiation_starts_with_its_deadlines() -> None:
    # given
    order = delivered_order()

    # when
    claim, events = _open(order, amount=usd(10_000))

    # then
    assert claim.status is ClaimStatus.AWAITING_SUPPLIER
    assert claim.supplier_response_due_at == NOW + timedelta(days=3)
    assert claim.buyer_may_escalate_at == NOW + timedelta(days=3)
    assert claim.auto_escalation_at == NOW + timedelta(days=7)
    assert claim.timer_due_at == claim.supplier_response_due_at
    assert events == [
        ClaimOpened(
            claim_id="claim-2",
            order_id="order-1",
            buyer_id=BUYER,
            supplier_id=SUPPLIER,
            reason=ClaimReason.QUALITY_NOT_AS_AGREED,
            requested_outcome=RequestedOutcome.PARTIAL_REFUND,
            amount=usd(10_000),
            opened_by=ClaimOpener.BUYER,
            source=None,
            opened_at=NOW,
        )
    ]


def test_only_the_orders_buyer_may_open_a_claim() -> None:
    with pytest.raises(NotOrderBuyerError):
        _open(delivered_order(), buyer_id="someone-else", amount=usd(10_000))


def test_claim_amount_never_exceeds_what_was_paid() -> None:
    with pytest.raises(RefundExceedsRefundableError):
        _open(delivered_order(), amount=usd(100_001))


def test_claim_amount_never_exceeds_what_is_left_after_refunds() -> None:
    # given
    order = record_refund(delivered_order(), "refund-1", usd(60_000))

    # when / then
    with pytest.raises(RefundExceedsRefundableError):
        _open(order, amount=usd(40_001))


def test_full_refund_claim_asks_for_everything_still_refundable() -> None:
    # given
    order = record_refund(delivered_order(), "refund-1", usd(60_000))

    # when
    claim, _ = _open(order, outcome=RequestedOutcome.FULL_REFUND)

    # then
    assert claim.amount == usd(40_000)


@pytest.mark.parametrize(
    ("outcome", "amount"),
    [
        (RequestedOutcome.PARTIAL_REFUND, None),
        (RequestedOutcome.PARTIAL_REFUND, usd(0)),
        (RequestedOutcome.PARTIAL_REFUND, Money(amount=10_000, currency="EUR")),
        (RequestedOutcome.REPLACEMENT, usd(10_000)),
        (RequestedOutcome.FULL_REFUND, usd(10_000)),
    ],
)
def test_claim_amount_must_fit_the_requested_outcome(outcome: RequestedOutcome, amount: Money | None) -> None:
    with pytest.raises(InvalidAmountError):
        _open(delivered_order(), outcome=outcome, amount=amount)


def test_replacement_claim_carries_no_refund() -> None:
    claim, _ = _open(delivered_order(), outcome=RequestedOutcome.REPLACEMENT)

    assert claim.amount == usd(0)


def test_standard_buyer_may_claim_until_30_days_after_delivery() -> None:
    # given
    order = delivered_order(delivered_days_ago=0)

    # when
    claim, _ = _open(order, amount=usd(1), now=NOW + timedelta(days=30))

    # then
    assert claim.is_open
    with pytest.raises(ProtectionWindowClosedError):
        _open(order, amount=usd(1), now=NOW + timedelta(days=30, seconds=1))


@pytest.mark.parametrize("tier", [BuyerTier.ENTERPRISE, BuyerTier.ENTERPRISE_PRO])
def test_enterprise_buyers_may_claim_until_60_days_after_delivery(tier: BuyerTier) -> None:
    # given an enterprise order, for which escrow announced a 60-day money-back window
    order = delivered_order(delivered_days_ago=0, tier=tier)
    assert order.protection_window_days == 60

    # when
    claim, _ = _open(order, amount=usd(1), now=NOW + timedelta(days=60))

    # then
    assert claim.is_open
    with pytest.raises(ProtectionWindowClosedError):
        _open(order, amount=usd(1), now=NOW + timedelta(days=61))


def test_protection_window_is_the_money_back_window_escrow_announced_for_the_order() -> None:
    # given a standard order for which escrow's policy gave a 45-day money-back window
    order = delivered_order(delivered_days_ago=40, window_days=45)

    # when
    claim, _ = open_claim(
        order,
        claim_id="claim-2",
        buyer_id=BUYER,
        reason=ClaimReason.DEFECTIVE,
        requested_outcome=RequestedOutcome.REPLACEMENT,
        amount=None,
        description="",
        open_claims=[],
        now=NOW,
        policy=POLICY,
    )

    # then
    assert claim.is_open
    with pytest.raises(ProtectionWindowClosedError):
        _open(order, amount=usd(1), now=NOW + timedelta(days=5, seconds=1))


def test_not_received_may_be_claimed_before_delivery_once_the_promised_date_passed() -> None:
    # given an undelivered order promised for NOW + 10 days
    order = funded_order()

    # when
    claim, _ = _open(
        order,
        reason=ClaimReason.NOT_RECEIVED,
        outcome=RequestedOutcome.FULL_REFUND,
        now=NOW + timedelta(days=11),
    )

    # then
    assert claim.is_open
    with pytest.raises(ClaimPrematureError):
        _open(order, reason=ClaimReason.NOT_RECEIVED, outcome=RequestedOutcome.FULL_REFUND)


def test_not_received_may_be_claimed_before_delivery_when_no_date_was_promised() -> None:
    # given an undelivered order without a promised delivery date
    order = funded_order().model_copy(update={"promised_delivery_at": None})

    # when
    claim, _ = _open(order, reason=ClaimReason.NOT_RECEIVED, outcome=RequestedOutcome.FULL_REFUND)

    # then
    assert claim.is_open


def test_claims_about_the_goods_wait_for_delivery() -> None:
    with pytest.raises(ClaimPrematureError):
        _open(funded_order(), reason=ClaimReason.DEFECTIVE, amount=usd(10_000))


def test_late_dispatch_is_claimable_only_after_the_dispatch_deadline_passed_undispatched() -> None:
    # given an order whose dispatch deadline was 7 days ago and that never shipped
    order = funded_order()

    # when
    claim, _ = _open(order, reason=ClaimReason.LATE_DISPATCH, amount=usd(5_000))

    # then
    assert claim.is_open
    with pytest.raises(ClaimPrematureError):
        _open(order, reason=ClaimReason.LATE_DISPATCH, amount=usd(5_000), now=NOW - timedelta(days=8))


def test_late_delivery_is_not_claimable_when_delivered_on_time() -> None:
    # given an order delivered 2 days ago, before its promised date
    order = delivered_order()

    # when / then
    with pytest.raises(ClaimPrematureError):
        _open(order, reason=ClaimReason.LATE_DELIVERY, amount=usd(5_000))


def test_one_open_claim_per_order_and_reason() -> None:
    # given
    existing = quality_claim()

    # when / then
    with pytest.raises(DuplicateOpenClaimError):
        _open(delivered_order(), amount=usd(1), open_claims=[existing])
    other_reason, _ = _open(
        delivered_order(), reason=ClaimReason.DEFECTIVE, amount=usd(1), open_claims=[existing]
    )
    assert other_reason.is_open


def test_no_claim_on_a_cancelled_order() -> None:
    with pytest.raises(OrderCancelledError):
        _open(record_cancellation(delivered_order()), amount=usd(1))


def test_platform_case_skips_the_buyer_check_and_goes_straight_to_mediation() -> None:
    # given an undelivered order whose shipment the carrier lost
    order = funded_order()

    # when
    claim, events = open_platform_case(
        order,
        claim_id="case-1",
        reason=ClaimReason.NOT_RECEIVED,
        source="logistics.shipment_lost",
        description="carrier reported the shipment lost",
        open_claims=[],
        now=NOW,
        policy=POLICY,
    )

    # then
    assert claim.opened_by is ClaimOpener.PLATFORM
    assert claim.buyer_id == BUYER
    assert claim.status is ClaimStatus.ESCALATED
    assert claim.amount == usd(100_000)
    assert claim.timer_due_at is None
    assert [e.opened_by for e in events] == [ClaimOpener.PLATFORM]


def test_a_platform_case_records_the_fact_that_opened_it_and_when_it_went_to_mediation() -> None:
    # given an undelivered order whose shipment the carrier lost
    # when logistics' fact opens a platform case
    claim, events = open_platform_case(
        funded_order(),
        claim_id="case-1",
        reason=ClaimReason.NOT_RECEIVED,
        source="logistics.shipment_lost",
        description="carrier reported the shipment lost",
        open_claims=[],
        now=NOW,
        policy=POLICY,
    )
    # then the claim and its event name the source, and the claim was escalated at once
    assert (claim.source, [e.source for e in events]) == (
        "logistics.shipment_lost",
        ["logistics.shipment_lost"],
    )
    assert claim.escalated_at == NOW


def test_claim_survives_a_round_trip_through_a_json_document() -> None:
    # given
    claim = quality_claim()

    # when
    stored = Claim.model_validate(claim.model_dump(mode="json"))

    # then
    assert stored == claim


def test_lateness_is_judged_on_when_the_goods_moved_not_on_when_the_buyer_claims() -> None:
    # given an order promised for dispatch 7 days ago (its last instant) and for delivery in 10 days
    order = funded_order()
    deadline, promised = order.dispatch_deadline, order.promised_delivery_at
    assert deadline is not None
    assert promised is not None
    dispatched_at_the_deadline = record_dispatch(order, deadline)
    after_the_promise = promised + timedelta(days=2)
    # when the buyer claims lateness after the promised instants passed
    # then a dispatch at its deadline and a delivery before the promised day ends kept the promise
    with pytest.raises(ClaimPrematureError):
        _open(dispatched_at_the_deadline, reason=ClaimReason.LATE_DISPATCH, amount=usd(5_000))
    on_time = record_delivery(dispatched_at_the_deadline, promised - timedelta(days=1))
    with pytest.raises(ClaimPrematureError):
        _open(on_time, reason=ClaimReason.LATE_DELIVERY, amount=usd(5_000), now=after_the_promise)
    # and a delivery after it broke the promise
    late = record_delivery(dispatched_at_the_deadline, promised + timedelta(days=1))
    claim, _ = _open(late, reason=ClaimReason.LATE_DELIVERY, amount=usd(5_000), now=after_the_promise)
    assert claim.is_open


def test_a_claim_after_the_window_is_refused_saying_when_the_window_closed() -> None:
    # given an order whose 30-day window closed a second ago
    order = delivered_order(delivered_days_ago=0)
    closed_at = NOW + timedelta(days=30)

    # when / then the refusal's detail (what the API answers) names the closing instant
    with pytest.raises(ProtectionWindowClosedError) as refused:
        _open(order, amount=usd(1), now=closed_at + timedelta(seconds=1))
    assert str(closed_at) in str(refused.value)
    assert refused.value.refused.window_closed_at == closed_at
