"""Property: any interleaving of payments, duplicate webhooks, cancellations, shipping, delivery, receipt
confirmation, auto-confirm, claims, refunds and compensation keeps escrow's books proven.

Drives the handler layer (the code behind HTTP routes, consumers and timers), bootstrapped over in-memory
stores, with a ManualClock: no database, so hypothesis can try many more interleavings.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from services.escrow.domain.errors import EscrowError
from services.escrow.handlers.ledger import check_books
from shared.clock import ManualClock
from shared.contracts.disputes import (
    ClaimOpened,
    ClaimOpener,
    ClaimReason,
    ClaimResolved,
    RefundRequested,
    RequestedOutcome,
    SettledBy,
    SettlementKind,
)
from shared.contracts.escrow import DeadlineKind
from shared.contracts.logistics import (
    DeliveryDeadlineMissed,
    DispatchDeadlineMissed,
    ShipmentDelivered,
    ShipmentDispatched,
)
from shared.errors import Conflict
from shared.messaging.envelope import Event

from .harness import ORDERS, EscrowHandlers, buyer, money, quoted

T = TypeVar("T")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
REFUSED = (EscrowError, Conflict)
order_index = st.integers(min_value=0, max_value=len(ORDERS) - 1)


class EscrowBooks(RuleBasedStateMachine):
    """Each example runs its handlers on an event loop of its own."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.clock = ManualClock(START)
        self.escrow = EscrowHandlers(self.clock)
        self.order_ids: list[str] = []
        self.claim_numbers = itertools.count()
        self.webhooks: dict[int, bytes] = {}

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(work)

    def attempt(self, work: Coroutine[Any, Any, object]) -> None:
        """Rules may be refused by the domain (the state does not allow them): that is a valid outcome."""
        with contextlib.suppress(*REFUSED):
            self.run(work)

    @initialize(paid=st.lists(st.booleans(), min_size=len(ORDERS), max_size=len(ORDERS)))
    def place_orders(self, paid: list[bool]) -> None:
        """Some orders start paid, so that most examples reach the money movements after funding."""
        for currency, unit, tier in ORDERS:
            order = self.run(self.escrow.escrow.orders.place(quoted(currency, unit, tier), buyer=buyer(tier)))
            self.order_ids.append(order.order_id)
        for index, pay in enumerate(paid):
            if pay:
                self.pay(index, duplicate=False)

    def parties(self, index: int) -> dict[str, str]:
        return {
            "order_id": self.order_ids[index],
            "buyer_id": buyer(ORDERS[index][2]).sub,
            "supplier_id": "s-1",
        }

    def deliver(self, event: Event) -> None:
        self.attempt(self.escrow.deliver(event))

    @rule(index=order_index, duplicate=st.booleans())
    def pay(self, index: int, duplicate: bool) -> None:
        order_id = self.order_ids[index]
        try:
            intent = self.run(self.escrow.escrow.payments.create_intent(order_id, buyer(ORDERS[index][2])))
        except REFUSED:
            return
        self.webhooks[index] = self.escrow.webhook(intent.intent_id, order_id, intent.amount.model_dump())
        for _ in range(2 if duplicate else 1):
            self.attempt(self.escrow.deliver_webhook(self.webhooks[index]))

    @rule(index=order_index)
    def webhook_redelivered_later(self, index: int) -> None:
        """The provider delivers the same event again, whatever happened to the order since."""
        if index in self.webhooks:
            self.attempt(self.escrow.deliver_webhook(self.webhooks[index]))

    @rule(index=order_index)
    def cancel(self, index: int) -> None:
        self.attempt(self.escrow.escrow.orders.cancel(self.order_ids[index], buyer(ORDERS[index][2]), "x"))

    @rule(index=order_index)
    def ship(self, index: int) -> None:
        now = self.clock.now()
        self.deliver(
            ShipmentDispatched(
                **self.parties(index),
                shipment_id="sh",
                carrier="DHL",
                tracking_number="1",
                dispatched_at=now,
                dispatch_deadline=now,
                on_time=True,
            )
        )

    @rule(index=order_index)
    def deliver_goods(self, index: int) -> None:
        now = self.clock.now()
        self.deliver(
            ShipmentDelivered(
                **self.parties(index),
                shipment_id="sh",
                delivered_at=now,
                promised_delivery_date=now.date(),
                on_time=True,
            )
        )

    @rule(index=order_index)
    def ship_and_deliver(self, index: int) -> None:
        self.ship(index)
        self.deliver_goods(index)

    @rule(index=order_index)
    def confirm(self, index: int) -> None:
        self.attempt(
            self.escrow.escrow.release.confirm_receipt(self.order_ids[index], buyer(ORDERS[index][2]))
        )

    @rule(days=st.integers(min_value=1, max_value=20))
    def time_passes_and_timers_fire(self, days: int) -> None:
        self.clock.advance(timedelta(days=days))
        self.run(self.escrow.sweep_timers())

    @rule(index=order_index)
    def timer_and_buyer_confirm_together(self, index: int) -> None:
        self.clock.advance(timedelta(days=15))

        async def together() -> None:
            confirm = self.escrow.escrow.release.confirm_receipt(
                self.order_ids[index], buyer(ORDERS[index][2])
            )
            await asyncio.gather(self.escrow.sweep_timers(), confirm, return_exceptions=True)

        self.run(together())

    def open_claim(self, index: int) -> str:
        claim_id = f"c-{next(self.claim_numbers)}"
        self.deliver(
            ClaimOpened(
                **self.parties(index),
                claim_id=claim_id,
                reason=ClaimReason.DEFECTIVE,
                requested_outcome=RequestedOutcome.PARTIAL_REFUND,
                amount=money(index, 1),
                opened_by=ClaimOpener.BUYER,
                source=None,
                opened_at=self.clock.now(),
            )
        )
        return claim_id

    @rule(
        index=order_index,
        outcome=st.sampled_from(["left_open", "no_refund", 25, 50, 100]),
        repeat=st.booleans(),
    )
    def claim(self, index: int, outcome: str | int, repeat: bool) -> None:
        """A claim is opened (freezing release), then stays open, ends without a refund, or is decided
        for the buyer with a refund of that percentage of the price; a command may arrive twice."""
        claim_id = self.open_claim(index)
        decision: Event
        if outcome == "left_open":
            return
        if outcome == "no_refund":
            decision = ClaimResolved(
                **self.parties(index),
                claim_id=claim_id,
                reason=ClaimReason.DEFECTIVE,
                decision=SettlementKind.NO_REFUND,
                refund=money(index, 0),
                return_required=False,
                settled_by=SettledBy.MEDIATION,
                resolved_at=self.clock.now(),
            )
        else:
            paid = ORDERS[index][1] * 100 + 10_000
            decision = RefundRequested(
                **self.parties(index),
                claim_id=claim_id,
                amount=money(index, paid * int(outcome) // 100),
                reason=ClaimReason.DEFECTIVE,
                requested_at=self.clock.now(),
            )
        for _ in range(2 if repeat else 1):
            self.deliver(decision)

    @rule(index=order_index, deadline=st.sampled_from(DeadlineKind), claim=st.booleans())
    def deadline_missed(self, index: int, deadline: DeadlineKind, claim: bool) -> None:
        order = self.run(self.escrow.orders.get(self.order_ids[index])).value
        if order.promise is None:
            return
        late_from = order.promise.late_from(deadline)
        if deadline is DeadlineKind.DISPATCH:
            event: Event = DispatchDeadlineMissed(
                **self.parties(index),
                shipment_id="sh",
                guaranteed=False,
                dispatch_deadline=late_from,
                detected_at=self.clock.now(),
            )
        else:
            event = DeliveryDeadlineMissed(
                **self.parties(index),
                shipment_id="sh",
                guaranteed=False,
                promised_delivery_date=order.promise.promised_delivery_date,
                delivery_late_from=late_from,
                detected_at=self.clock.now(),
            )
        self.deliver(event)
        if claim:
            who = buyer(ORDERS[index][2])
            self.attempt(self.escrow.escrow.compensation.claim(self.order_ids[index], who, deadline))

    @invariant()
    def books_are_proven(self) -> None:
        if not self.order_ids:
            return
        breaches, _, _ = self.run(check_books(self.escrow.escrow.books))
        assert breaches == []

    @invariant()
    def money_moves_at_most_once_per_order(self) -> None:
        for event_type in ("escrow.order_funded", "escrow.funds_released", "escrow.compensation_issued"):
            order_ids = [getattr(event, "order_id", None) for event in self.escrow.published(event_type)]
            assert len(order_ids) == len(set(order_ids)), event_type

    def teardown(self) -> None:
        self.loop.close()


def test_any_interleaving_keeps_the_books_proven_and_releases_once() -> None:
    run_settings = settings(
        max_examples=200,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    run_state_machine_as_test(EscrowBooks, settings=run_settings)
