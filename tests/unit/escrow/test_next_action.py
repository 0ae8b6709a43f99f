"""An order's next action names who must act, and by the instant the enforcing rule acts itself."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.escrow.domain.amendments import propose_amendment
from services.escrow.domain.errors import AutoConfirmNotDueError
from services.escrow.domain.next_action import order_next_action
from services.escrow.domain.release import auto_confirm, auto_confirm_due_at
from services.escrow.domain.terms import Party
from shared.money import Money
from shared.next_action import Actor, NextAction

from .factories import POLICY, T0, delivered, funded, placed, shipped, terms


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
