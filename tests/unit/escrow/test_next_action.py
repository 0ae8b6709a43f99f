"""An order's next action names who must act, and by the instant the enforcing rule acts itself."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.escrow.domain.amendments import propose_amendment
from services.escrow.domain.claims import freeze_order
from services.escrow.domain.errors import AutoConfirmNotDueError
from services.escrow.domain.next_action import order_next_action
from services.escrow.domain.refunds import refund_by_decision
from services.escrow.domain.release import auto_confirm, auto_confirm_due_at, confirm_receipt
from services.escrow.domain.terms import Party
from shared.contracts.escrow import OrderStatus
from shared.money import Money
from shared.next_action import Actor, NextAction

from .factories import DELIVERED_AT, POLICY, T0, delivered, funded, money, placed, shipped, terms


def test_an_unpaid_order_waits_for_the_buyers_payment() -> None:
    assert order_next_action(placed(), POLICY) == NextAction(actor=Actor.BUYER, action="pay")


def test_terms_proposed_by_one_party_wait_for_the_other_to_answer() -> None:
    proposed = propose_amendment(placed(), party=Party.BUYER, terms=terms(quantity=120), now=T0).order
    assert order_next_action(proposed, POLICY) == NextAction(actor=Actor.SUPPLIER, action="answer_amendment")


def test_a_funded_order_asks_the_supplier_to_dispatch_by_the_promised_deadline() -> None:
    order = funded()
    assert order.promise is not None
    assert order_next_action(order, POLICY) == NextAction(
        actor=Actor.SUPPLIER, action="dispatch", due_at=order.promise.dispatch_deadline
    )


def test_a_shipped_order_is_due_before_the_instant_its_delivery_becomes_late() -> None:
    order = shipped()
    assert order.promise is not None
    assert order_next_action(order, POLICY) == NextAction(
        actor=Actor.SUPPLIER, action="deliver", due_at=order.promise.delivery_late_from
    )


def test_a_delivered_order_asks_the_buyer_to_confirm_before_the_auto_confirm_timer_releases_it() -> None:
    order = delivered()
    action = order_next_action(order, POLICY)
    assert action is not None
    assert (action.actor, action.action) == (Actor.BUYER, "confirm_receipt")
    # The date shown is the timer's own: released at it, not a millisecond before.
    assert action.due_at == auto_confirm_due_at(order, POLICY)
    assert action.due_at is not None
    nothing_owed = Money.zero(order.currency)
    released = auto_confirm(order, now=action.due_at, policy=POLICY, owed_by_supplier=nothing_owed).order
    assert order_next_action(released, POLICY) is None
    with pytest.raises(AutoConfirmNotDueError):
        auto_confirm(
            order, now=action.due_at - timedelta(milliseconds=1), policy=POLICY, owed_by_supplier=nothing_owed
        )


def test_terms_proposed_by_the_supplier_wait_for_the_buyer_to_answer() -> None:
    proposed = propose_amendment(placed(), party=Party.SUPPLIER, terms=terms(quantity=120), now=T0).order
    assert order_next_action(proposed, POLICY) == NextAction(actor=Actor.BUYER, action="answer_amendment")


def test_a_frozen_order_waits_for_the_platform_to_resolve_the_claim() -> None:
    frozen = freeze_order(delivered(), "c-1", DELIVERED_AT).order
    assert order_next_action(frozen, POLICY) == NextAction(actor=Actor.PLATFORM, action="resolve_claim")


def test_a_partially_refunded_order_already_released_waits_for_nothing() -> None:
    # given a released order whose claim was decided with a partial refund from the guarantee fund
    released = confirm_receipt(
        delivered(), buyer_id="b-1", now=DELIVERED_AT, policy=POLICY, owed_by_supplier=money(0)
    ).order
    claimed = freeze_order(released, "c-1", DELIVERED_AT).order
    refunded = refund_by_decision(
        claimed, decision_id="d-1", claim_id="c-1", amount=money(1_000), now=DELIVERED_AT
    ).order
    assert refunded.status is OrderStatus.PARTIALLY_REFUNDED
    # then escrow holds nothing for the timer to release, and nobody has to act
    assert auto_confirm_due_at(refunded, POLICY) is None
    assert order_next_action(refunded, POLICY) is None
