"""An open claim freezes the order; it resumes where it was when the claim ends without a refund."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.escrow.domain.claims import freeze_order, unfreeze_order
from services.escrow.domain.errors import (
    ClaimConflictError,
    ClaimWindowClosedError,
    TransitionNotAllowedError,
)
from services.escrow.domain.lifecycle import cancel_order, record_delivery, record_shipment, start_production
from shared.contracts import escrow as events
from shared.contracts.escrow import BuyerTier, OrderStatus

from .factories import DELIVERED_AT, POLICY, T0, delivered, funded, shipped

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
    assert change.order.claim_id is None
    (unfrozen,) = change.events
    assert isinstance(unfrozen, events.OrderUnfrozen)
    assert unfrozen.resumed_status is OrderStatus.DELIVERED


def test_duplicate_claim_events_change_nothing() -> None:
    frozen = freeze_order(delivered("USD"), "c-1", NOW).order
    resumed = unfreeze_order(frozen, "c-1", NOW).order

    assert not freeze_order(frozen, "c-1", NOW).changed
    assert not unfreeze_order(resumed, "c-1", NOW).changed
    assert not freeze_order(resumed, "c-1", NOW).changed


def test_a_second_claim_cannot_freeze_an_order_already_frozen() -> None:
    frozen = freeze_order(delivered("USD"), "c-1", NOW).order

    with pytest.raises(ClaimConflictError):
        freeze_order(frozen, "c-2", NOW)


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
        cancel_order(frozen, reason="r", now=T0, policy=POLICY)
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
