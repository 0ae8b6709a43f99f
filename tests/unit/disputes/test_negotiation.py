"""Negotiation: the supplier answers within 3 days, the buyer accepts or escalates from day 4."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.disputes.domain.claim import ClaimStatus
from services.disputes.domain.errors import (
    ClaimTransitionRefusedError,
    EscalationTooEarlyError,
    NotOrderBuyerError,
    NotOrderSupplierError,
    RefundExceedsRefundableError,
    SupplierResponseOverdueError,
)
from services.disputes.domain.negotiation import (
    accept_claim,
    accept_offer,
    escalate,
    make_offer,
    reject_claim,
    withdraw_claim,
)
from services.disputes.domain.orders import record_refund
from shared.contracts.disputes import (
    ClaimEscalated,
    ClaimRejectedBySupplier,
    ClaimResolved,
    ClaimSettled,
    ClaimWithdrawn,
    OfferMade,
    RefundRequested,
    RequestedOutcome,
    ReturnRequested,
    SettledBy,
    SettlementKind,
)
from tests.unit.disputes.factories import BUYER, NOW, SUPPLIER, delivered_order, quality_claim, usd

DAY_1 = NOW + timedelta(days=1)
DAY_4 = NOW + timedelta(days=3)


def test_supplier_offer_waits_for_the_buyer_until_auto_escalation() -> None:
    # given
    order = delivered_order()

    # when
    claim, events = make_offer(
        quality_claim(order),
        order,
        supplier_id=SUPPLIER,
        outcome=RequestedOutcome.PARTIAL_REFUND,
        refund=usd(30_000),
        note="30% discount",
        now=DAY_1,
    )

    # then
    assert claim.status is ClaimStatus.OFFER_MADE
    assert claim.offer is not None
    assert claim.offer.refund == usd(30_000)
    assert claim.timer_due_at == claim.auto_escalation_at
    assert [type(e) for e in events] == [OfferMade]


def test_offered_refund_never_exceeds_what_is_refundable() -> None:
    order = delivered_order()
    with pytest.raises(RefundExceedsRefundableError):
        make_offer(
            quality_claim(order),
            order,
            supplier_id=SUPPLIER,
            outcome=RequestedOutcome.PARTIAL_REFUND,
            refund=usd(100_001),
            note="",
            now=DAY_1,
        )


def test_only_the_orders_supplier_may_answer() -> None:
    with pytest.raises(NotOrderSupplierError):
        reject_claim(quality_claim(), supplier_id="other-supplier", now=DAY_1)


def test_supplier_must_respond_within_3_days() -> None:
    # given a claim whose response timer has not been swept yet
    claim = quality_claim()

    # when / then
    with pytest.raises(SupplierResponseOverdueError):
        reject_claim(claim, supplier_id=SUPPLIER, now=NOW + timedelta(days=3))


def test_buyer_accepting_an_offer_settles_the_claim_and_requests_the_refund() -> None:
    # given
    order = delivered_order()
    offered, _ = make_offer(
        quality_claim(order),
        order,
        supplier_id=SUPPLIER,
        outcome=RequestedOutcome.PARTIAL_REFUND,
        refund=usd(30_000),
        note="",
        now=DAY_1,
    )

    # when
    claim, events = accept_offer(offered, order, buyer_id=BUYER, now=DAY_1)

    # then
    assert claim.status is ClaimStatus.REFUND_REQUESTED
    assert claim.settlement is not None
    assert claim.settlement.kind is SettlementKind.PARTIAL_REFUND
    assert claim.settlement.settled_by is SettledBy.BUYER_ACCEPTANCE
    assert [type(e) for e in events] == [ClaimSettled, RefundRequested]
    assert isinstance(events[1], RefundRequested)
    assert events[1].amount == usd(30_000)


def test_accepted_offer_is_repriced_against_refunds_made_since() -> None:
    # given an offer of 30 000 and, meanwhile, a refund leaving only 20 000 refundable
    order = delivered_order()
    offered, _ = make_offer(
        quality_claim(order),
        order,
        supplier_id=SUPPLIER,
        outcome=RequestedOutcome.PARTIAL_REFUND,
        refund=usd(30_000),
        note="",
        now=DAY_1,
    )
    order = record_refund(order, "refund-other-claim", usd(80_000))

    # when / then
    with pytest.raises(RefundExceedsRefundableError):
        accept_offer(offered, order, buyer_id=BUYER, now=DAY_1)


def test_buyer_cannot_accept_when_no_offer_is_pending() -> None:
    with pytest.raises(ClaimTransitionRefusedError):
        accept_offer(quality_claim(), delivered_order(), buyer_id=BUYER, now=DAY_1)


def test_supplier_accepting_a_replacement_claim_resolves_it_without_money() -> None:
    # given
    order = delivered_order()
    claim = quality_claim(order, outcome=RequestedOutcome.REPLACEMENT)

    # when
    claim, events = accept_claim(claim, order, supplier_id=SUPPLIER, now=DAY_1)

    # then
    assert claim.status is ClaimStatus.RESOLVED
    settled, resolved = events
    assert isinstance(settled, ClaimSettled)
    assert isinstance(resolved, ClaimResolved)
    assert resolved.refund == usd(0)
    assert resolved.decision is SettlementKind.REPLACEMENT


def test_accepted_return_and_refund_waits_for_the_goods_to_come_back() -> None:
    # given
    order = delivered_order()
    claim = quality_claim(order, outcome=RequestedOutcome.RETURN_AND_REFUND, amount=usd(100_000))

    # when
    claim, events = accept_claim(claim, order, supplier_id=SUPPLIER, now=DAY_1)

    # then
    assert claim.status is ClaimStatus.AWAITING_RETURN
    assert claim.settlement is not None
    assert claim.settlement.kind is SettlementKind.FULL_REFUND
    assert claim.settlement.return_required
    assert [type(e) for e in events] == [ClaimSettled, ReturnRequested]


def test_buyer_may_not_escalate_before_day_4() -> None:
    with pytest.raises(EscalationTooEarlyError):
        escalate(quality_claim(), buyer_id=BUYER, now=DAY_4 - timedelta(seconds=1))


def test_buyer_may_escalate_from_day_4() -> None:
    # when
    claim, events = escalate(quality_claim(), buyer_id=BUYER, now=DAY_4)

    # then
    assert claim.status is ClaimStatus.ESCALATED
    assert claim.timer_due_at is None
    assert len(events) == 1
    assert isinstance(events[0], ClaimEscalated)
    assert not events[0].automatic


def test_buyer_may_escalate_at_once_after_the_supplier_rejects() -> None:
    # given
    rejected, _ = reject_claim(quality_claim(), supplier_id=SUPPLIER, now=DAY_1)

    # when
    claim, _ = escalate(rejected, buyer_id=BUYER, now=DAY_1)

    # then
    assert claim.status is ClaimStatus.ESCALATED


def test_only_the_claims_buyer_may_escalate() -> None:
    with pytest.raises(NotOrderBuyerError):
        escalate(quality_claim(), buyer_id="other-buyer", now=DAY_4)


def test_buyer_may_withdraw_an_unsettled_claim() -> None:
    # when
    claim, events = withdraw_claim(quality_claim(), buyer_id=BUYER, now=DAY_1)

    # then
    assert claim.status is ClaimStatus.WITHDRAWN
    assert not claim.is_open
    assert claim.timer_due_at is None
    assert [type(e) for e in events] == [ClaimWithdrawn]


def test_a_settled_claim_cannot_be_withdrawn() -> None:
    # given
    order = delivered_order()
    settled, _ = accept_claim(quality_claim(order), order, supplier_id=SUPPLIER, now=DAY_1)

    # when / then
    with pytest.raises(ClaimTransitionRefusedError):
        withdraw_claim(settled, buyer_id=BUYER, now=DAY_1)


def test_escalation_and_withdrawal_record_their_instant() -> None:
    # given an open claim
    # when the buyer escalates it on day 4, or withdraws it on day 1
    escalated, _ = escalate(quality_claim(), buyer_id=BUYER, now=DAY_4)
    withdrawn, _ = withdraw_claim(quality_claim(), buyer_id=BUYER, now=DAY_1)
    # then the claim keeps when it happened
    assert escalated.escalated_at == DAY_4
    assert withdrawn.closed_at == DAY_1


def test_a_supplier_rejection_is_announced() -> None:
    # given an open claim
    # when its supplier rejects it
    _, events = reject_claim(quality_claim(), supplier_id=SUPPLIER, now=DAY_1)
    # then the rejection is an event at that instant
    assert [(type(e), e.rejected_at) for e in events if isinstance(e, ClaimRejectedBySupplier)] == [
        (ClaimRejectedBySupplier, DAY_1)
    ]
    assert len(events) == 1


def test_an_offer_keeps_the_suppliers_note_for_the_buyer() -> None:
    # given
    order = delivered_order()

    # when
    claim, _ = make_offer(
        quality_claim(order),
        order,
        supplier_id=SUPPLIER,
        outcome=RequestedOutcome.PARTIAL_REFUND,
        refund=usd(30_000),
        note="30% off for the colour deviation",
        now=DAY_1,
    )

    # then
    assert claim.offer is not None
    assert claim.offer.note == "30% off for the colour deviation"


def test_a_full_refund_offer_without_an_amount_offers_everything_still_refundable() -> None:
    # given an order of which 20 000 was already refunded on another claim
    order = record_refund(delivered_order(), "refund-other-claim", usd(20_000))

    # when
    claim, events = make_offer(
        quality_claim(order),
        order,
        supplier_id=SUPPLIER,
        outcome=RequestedOutcome.FULL_REFUND,
        refund=None,
        note="",
        now=DAY_1,
    )

    # then
    assert claim.offer is not None
    assert claim.offer.refund == usd(80_000)
    assert [e.refund for e in events if isinstance(e, OfferMade)] == [usd(80_000)]


def test_accepting_a_full_refund_claim_refunds_everything_still_refundable_at_acceptance() -> None:
    # given a full-refund claim for 100 000 and, meanwhile, 20 000 refunded on another claim
    order = delivered_order()
    claim = quality_claim(order, outcome=RequestedOutcome.FULL_REFUND)
    assert claim.amount == usd(100_000)
    order = record_refund(order, "refund-other-claim", usd(20_000))

    # when the supplier accepts it
    settled, _ = accept_claim(claim, order, supplier_id=SUPPLIER, now=DAY_1)

    # then the full refund is what is left, not what was asked
    assert settled.settlement is not None
    assert (settled.settlement.kind, settled.settlement.refund) == (SettlementKind.FULL_REFUND, usd(80_000))


def test_accepting_a_full_refund_offer_refunds_everything_still_refundable_at_acceptance() -> None:
    # given a full-refund offer of 100 000 and, meanwhile, 20 000 refunded on another claim
    order = delivered_order()
    offered, _ = make_offer(
        quality_claim(order),
        order,
        supplier_id=SUPPLIER,
        outcome=RequestedOutcome.FULL_REFUND,
        refund=None,
        note="",
        now=DAY_1,
    )
    order = record_refund(order, "refund-other-claim", usd(20_000))

    # when the buyer accepts it
    settled, _ = accept_offer(offered, order, buyer_id=BUYER, now=DAY_1)

    # then
    assert settled.settlement is not None
    assert (settled.settlement.kind, settled.settlement.refund) == (SettlementKind.FULL_REFUND, usd(80_000))


def test_an_accepted_return_and_refund_offer_waits_for_the_goods_to_come_back() -> None:
    # given the supplier offers to refund 40 000 against the goods' return
    order = delivered_order()
    offered, _ = make_offer(
        quality_claim(order),
        order,
        supplier_id=SUPPLIER,
        outcome=RequestedOutcome.RETURN_AND_REFUND,
        refund=usd(40_000),
        note="send them back",
        now=DAY_1,
    )

    # when the buyer accepts
    claim, events = accept_offer(offered, order, buyer_id=BUYER, now=DAY_1)

    # then the refund waits for the return
    assert claim.status is ClaimStatus.AWAITING_RETURN
    assert claim.settlement is not None
    assert (claim.settlement.kind, claim.settlement.refund) == (SettlementKind.PARTIAL_REFUND, usd(40_000))
    assert claim.settlement.return_required
    assert [type(e) for e in events] == [ClaimSettled, ReturnRequested]
