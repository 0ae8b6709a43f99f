"""Every number of the escrow rules is a policy default that configuration can change."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.escrow.domain.order import ALLOWED_TRANSITIONS
from services.escrow.domain.policy import EscrowPolicy
from shared.contracts.escrow import BuyerTier, CompensationFunding, OrderStatus

from .factories import money


def test_policy_defaults_are_the_product_rules() -> None:
    policy = EscrowPolicy()

    assert policy.auto_confirm_days == 14
    assert policy.platform_fee_bps == 200
    assert policy.money_back_window_days == {
        BuyerTier.STANDARD: 30,
        BuyerTier.ENTERPRISE: 60,
        BuyerTier.ENTERPRISE_PRO: 60,
    }
    assert policy.compensation_cap == money(10_000)
    assert policy.compensation_funded_by is CompensationFunding.GUARANTEE_FUND
    assert policy.compensation_claim_window_days == 30


def test_policy_needs_a_money_back_window_for_every_tier() -> None:
    with pytest.raises(ValidationError, match="no money-back window"):
        EscrowPolicy(money_back_window_days={BuyerTier.STANDARD: 30})


def test_cancelled_and_refunded_orders_are_final() -> None:
    assert ALLOWED_TRANSITIONS[OrderStatus.CANCELLED] == frozenset()
    assert ALLOWED_TRANSITIONS[OrderStatus.REFUNDED] == frozenset()


def test_a_frozen_order_leaves_only_through_a_refund_decision_or_its_resume() -> None:
    assert ALLOWED_TRANSITIONS[OrderStatus.FROZEN] == {OrderStatus.REFUNDED, OrderStatus.PARTIALLY_REFUNDED}
