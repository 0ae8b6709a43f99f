"""An open claim freezes the order; it resumes where it was when the claim ends without a refund."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from services.escrow.domain.claims import freeze_order, unfreeze_order
from services.escrow.domain.errors import (
    ClaimConflictError,
    ClaimWindowClosedError,
    TransitionNotAllowedError,
)
from services.escrow.domain.lifecycle import cancel_order, record_delivery, record_shipment, start_production
from services.escrow.domain.refunds import refund_by_decision
from services.escrow.domain.release import confirm_receipt
from shared.contracts import escrow as events
from shared.contracts.escrow import BuyerTier, OrderStatus

from .factories import DELIVERED_AT, POLICY, T0, delivered, funded, money, shipped

NOW = DELIVERED_AT + timedelta(days=3)


def test_opening_a_claim_freezes_the_order_and_remembers_its_state() -> None:
    change = freeze_order(delivered("USD"), "c-1", NOW)

    assert change.order.status is OrderStatus.FROZEN
    assert change.order.frozen_from is OrderStatus.DELIVERED
    (frozen,) = change.events
    assert isinstance(frozen, events.OrderFrozen)
    assert frozen.previous_status is OrderStatus.DELIVERED


def test_ending_a_claim_without_refund_resumes_the_remembered_state() -> None:
    frozen = freeze_order(delivered("USD"), "c-1", NOW).order

    change = unfreeze_order(frozen, "c-1", NOW + timedelta(days=2))

    assert change.order.status is OrderStatus.DELIVERED
    assert change.order.open_claims == ()
    (unfrozen,) = change.events
    assert isinstance(unfrozen, events.OrderUnfrozen)
    assert unfrozen.resumed_status is OrderStatus.DELIVERED


def test_duplicate_claim_events_change_nothing() -> None:
    frozen = freeze_order(delivered("USD"), "c-1", NOW).order
    resumed = unfreeze_order(frozen, "c-1", NOW).order

    assert not freeze_order(frozen, "c-1", NOW).changed
    assert not unfreeze_order(resumed, "c-1", NOW).changed
    assert not freeze_order(resumed, "c-1", NOW).changed


def test_release_stays_blocked_until_every_open_claim_of_the_order_has_ended() -> None:
    # Given an order two claims froze
    first = freeze_order(delivered("USD"), "c-1", NOW)
    second = freeze_order(first.order, "c-2", NOW)
    assert [claim.claim_id for claim in second.order.open_claims] == ["c-1", "c-2"]
    assert [type(event) for event in second.events] == [events.OrderFrozen]

    # When the first claim ends without a refund, the order stays frozen: nothing may be released
    one_ended = unfreeze_order(second.order, "c-1", NOW + timedelta(days=1))
    assert one_ended.order.status is OrderStatus.FROZEN
    assert one_ended.events == ()
    with pytest.raises(TransitionNotAllowedError):
        confirm_receipt(one_ended.order, buyer_id="b-1", now=NOW, policy=POLICY, owed_by_supplier=money(0))

    # Then only the end of the last one resumes it where it was
    both_ended = unfreeze_order(one_ended.order, "c-2", NOW + timedelta(days=2))
    assert both_ended.order.status is OrderStatus.DELIVERED
    assert [type(event) for event in both_ended.events] == [events.OrderUnfrozen]


def test_a_partial_refund_for_one_claim_keeps_the_order_frozen_for_the_other() -> None:
    # Given an order two claims froze
    frozen = freeze_order(freeze_order(delivered("USD"), "c-1", NOW).order, "c-2", NOW).order

    # When the first claim's decision refunds part of the order
    refunded = refund_by_decision(
        frozen, decision_id="c-1", claim_id="c-1", amount=money(1_000), now=NOW
    ).order

    # Then it stays frozen by the other, and resumes as partially refunded once that one ends
    assert refunded.status is OrderStatus.FROZEN
    assert [claim.claim_id for claim in refunded.open_claims] == ["c-2"]
    assert [refund.refund_id for refund in refunded.refunds] == ["c-1"]
    assert refunded.resolved_claim_ids == ("c-1",)
    resumed = unfreeze_order(refunded, "c-2", NOW)
    assert resumed.order.status is OrderStatus.PARTIALLY_REFUNDED


def test_only_the_claim_that_froze_the_order_unfreezes_it() -> None:
    frozen = freeze_order(delivered("USD"), "c-1", NOW).order

    with pytest.raises(ClaimConflictError):
        unfreeze_order(frozen, "c-2", NOW)


@pytest.mark.parametrize(
    ("tier", "days_after_delivery", "allowed"),
    [
        (BuyerTier.STANDARD, 30, True),
        (BuyerTier.STANDARD, 31, False),
        (BuyerTier.ENTERPRISE, 60, True),
        (BuyerTier.ENTERPRISE_PRO, 61, False),
    ],
)
def test_claims_freeze_only_inside_the_money_back_window_of_the_buyer_tier(
    tier: BuyerTier, days_after_delivery: int, allowed: bool
) -> None:
    order = delivered("USD", tier)
    when = DELIVERED_AT + timedelta(days=days_after_delivery)

    if allowed:
        assert freeze_order(order, "c-1", when).order.status is OrderStatus.FROZEN
    else:
        with pytest.raises(ClaimWindowClosedError):
            freeze_order(order, "c-1", when)


def test_a_frozen_order_cannot_be_cancelled_or_moved_on_by_the_supplier() -> None:
    frozen = freeze_order(funded("USD"), "c-1", T0).order

    with pytest.raises(TransitionNotAllowedError):
        cancel_order(frozen, reason="r", now=T0)
    with pytest.raises(TransitionNotAllowedError):
        start_production(frozen)


def test_logistics_facts_recorded_while_frozen_move_the_state_to_resume() -> None:
    # Given a claim (say, late dispatch) opened while the order was only funded
    frozen = freeze_order(funded("USD"), "c-1", T0).order

    # When the goods ship and arrive during the claim
    frozen = record_shipment(frozen, T0 + timedelta(days=4)).order
    frozen = record_delivery(frozen, DELIVERED_AT).order

    # Then the order stays frozen, and resumes as delivered with its delivery time kept for the windows
    assert frozen.status is OrderStatus.FROZEN
    resumed = unfreeze_order(frozen, "c-1", NOW).order
    assert resumed.status is OrderStatus.DELIVERED
    assert resumed.delivered_at == DELIVERED_AT


def test_claim_on_a_shipped_order_resumes_as_shipped() -> None:
    frozen = freeze_order(shipped("USD"), "c-1", T0).order

    assert unfreeze_order(frozen, "c-1", T0).order.status is OrderStatus.SHIPPED


def test_the_refund_for_one_of_two_claims_is_announced_and_booked_while_the_order_stays_frozen() -> None:
    frozen = freeze_order(freeze_order(delivered("USD"), "c-1", NOW).order, "c-2", NOW).order

    change = refund_by_decision(frozen, decision_id="d-1", claim_id="c-1", amount=money(1_000), now=NOW)

    assert [type(event) for event in change.events] == [events.RefundIssued]
    assert [entry.entry_id for entry in change.entries] == ["refund:o-1:d-1"]


def test_a_full_refund_ends_every_open_claim_of_the_order() -> None:
    # Given an order two claims froze
    frozen = freeze_order(freeze_order(delivered("USD"), "c-1", NOW).order, "c-2", NOW).order

    # When the first claim's decision refunds everything
    refunded = refund_by_decision(
        frozen, decision_id="d-1", claim_id="c-1", amount=frozen.paid, now=NOW
    ).order

    # Then nothing is left for the other claim to protect: it ends too, and the order is final
    assert refunded.status is OrderStatus.REFUNDED
    assert (refunded.open_claims, refunded.frozen_from) == ((), None)
    assert refunded.resolved_claim_ids == ("c-1", "c-2")


def test_a_second_claim_announces_the_state_the_order_was_in_before_any_claim() -> None:
    first = freeze_order(delivered("USD"), "c-1", NOW).order

    (frozen,) = freeze_order(first, "c-2", NOW).events

    assert isinstance(frozen, events.OrderFrozen)
    assert frozen.previous_status is OrderStatus.DELIVERED


def test_a_resumed_order_no_longer_remembers_a_state_to_resume() -> None:
    frozen = freeze_order(delivered("USD"), "c-1", NOW).order

    assert unfreeze_order(frozen, "c-1", NOW).order.frozen_from is None


def test_an_order_that_does_not_know_where_it_was_frozen_from_cannot_resume() -> None:
    # Written around the model: a stored frozen order that lost its resume state is refused, not guessed
    lost = freeze_order(delivered("USD"), "c-1", NOW).order.model_copy(update={"frozen_from": None})

    with pytest.raises(TransitionNotAllowedError):
        lost.resumed()


def test_a_claim_after_the_window_is_refused_saying_when_the_window_ended() -> None:
    ends_at = DELIVERED_AT + timedelta(days=30)

    with pytest.raises(ClaimWindowClosedError, match=re.escape(f"ended at {ends_at}")):
        freeze_order(delivered("USD"), "c-1", ends_at + timedelta(microseconds=1))
