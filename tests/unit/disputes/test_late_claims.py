"""On-time guarantee: a missed deadline is claimable in one call, escrow's compensation resolves the claim."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.disputes.domain.claim import Claim, ClaimStatus
from services.disputes.domain.claim_opening import open_claim, open_late_claim, protection_window_closes_at
from services.disputes.domain.errors import (
    AlreadyCompensatedError,
    ClaimPrematureError,
    InvalidAmountError,
    ProtectionWindowClosedError,
)
from services.disputes.domain.orders import Deadline, OrderView, record_compensation, record_deadline_missed
from services.disputes.domain.settlement import record_compensation_issued
from shared.contracts.disputes import ClaimReason, ClaimResolved, RequestedOutcome, SettlementKind
from tests.unit.disputes.factories import BUYER, NOW, POLICY, delivered_order, funded_order


def _late(
    order: OrderView, deadline: Deadline = Deadline.DELIVERY, *, days_after: int = 0, seconds: int = 0
) -> Claim:
    claim, _ = open_late_claim(
        order,
        claim_id="claim-late",
        buyer_id=BUYER,
        deadline=deadline,
        open_claims=[],
        now=NOW + timedelta(days=days_after, seconds=seconds),
        policy=POLICY,
    )
    return claim


def test_a_reported_missed_deadline_is_claimable_as_compensation_in_one_call() -> None:
    order = record_deadline_missed(funded_order(), Deadline.DISPATCH)

    claim, [opened] = open_late_claim(
        order,
        claim_id="c",
        buyer_id=BUYER,
        deadline=Deadline.DISPATCH,
        open_claims=[],
        now=NOW,
        policy=POLICY,
    )

    assert (claim.reason, claim.requested_outcome) == (
        ClaimReason.LATE_DISPATCH,
        RequestedOutcome.COMPENSATION,
    )
    assert claim.amount.amount == 0  # escrow decides the capped amount, not the buyer
    assert opened.reason is ClaimReason.LATE_DISPATCH


def test_lateness_cannot_be_claimed_before_the_promise_is_missed() -> None:
    with pytest.raises(ClaimPrematureError):
        _late(funded_order())  # promised delivery is 10 days away


@pytest.mark.parametrize(("seconds_past_window", "claimable"), [(0, True), (1, False)])
def test_lateness_is_claimable_only_within_escrows_compensation_claim_window(
    seconds_past_window: int, claimable: bool
) -> None:
    # given delivery promised 10 days from NOW, missed, and a 15-day claim window announced by escrow
    order = record_deadline_missed(funded_order(compensation_claim_window_days=15), Deadline.DELIVERY)
    # when the buyer claims at the window's end or just after it, then only inside the window is it accepted
    if claimable:
        assert _late(order, days_after=10 + 15, seconds=seconds_past_window).is_open
    else:
        with pytest.raises(ProtectionWindowClosedError):
            _late(order, days_after=10 + 15, seconds=seconds_past_window)


def test_a_compensated_order_cannot_be_compensated_again() -> None:
    order = record_compensation(record_deadline_missed(funded_order(), Deadline.DELIVERY))
    with pytest.raises(AlreadyCompensatedError):
        _late(order)


def test_compensation_is_not_an_outcome_of_an_ordinary_claim() -> None:
    with pytest.raises(InvalidAmountError):
        open_claim(
            delivered_order(),
            claim_id="c",
            buyer_id=BUYER,
            reason=ClaimReason.DEFECTIVE,
            requested_outcome=RequestedOutcome.COMPENSATION,
            amount=None,
            description="x",
            open_claims=[],
            now=NOW,
            policy=POLICY,
        )


def test_escrows_compensation_resolves_the_late_claim_once() -> None:
    order = record_deadline_missed(funded_order(), Deadline.DISPATCH)
    claim, _ = open_late_claim(
        order,
        claim_id="c",
        buyer_id=BUYER,
        deadline=Deadline.DISPATCH,
        open_claims=[],
        now=NOW,
        policy=POLICY,
    )

    resolved, events = record_compensation_issued(claim, NOW)

    assert resolved.status is ClaimStatus.RESOLVED
    assert [type(e).__name__ for e in events] == ["ClaimSettled", "ClaimResolved"]
    assert isinstance(events[-1], ClaimResolved)
    assert events[-1].decision is SettlementKind.COMPENSATION
    assert record_compensation_issued(resolved, NOW) == (resolved, [])


def test_the_protection_window_closes_escrows_money_back_days_after_delivery() -> None:
    order = delivered_order(window_days=45)
    assert order.delivered_at is not None
    assert protection_window_closes_at(order) == order.delivered_at + timedelta(days=45)
    assert protection_window_closes_at(funded_order()) is None  # it runs from delivery
