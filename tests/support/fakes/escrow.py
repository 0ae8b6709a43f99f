"""Escrow's stores in memory, with the same guarantees the MongoDB adapters give the handlers."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.escrow.adapters.orders import OrderNotFound
from services.escrow.adapters.payment_intents import Settlement
from services.escrow.adapters.payment_provider import (
    SUCCEEDED,
    IntentStatus,
    PaymentIntent,
    PaymentWebhook,
    WebhookIntent,
)
from services.escrow.bootstrap import Escrow, bootstrap
from services.escrow.domain import accounts
from services.escrow.domain.accounts import AccountKind
from services.escrow.domain.compensation import automatic_compensation_due_at
from services.escrow.domain.journal import JournalEntry
from services.escrow.domain.order import Order
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.release import auto_confirm_due_at
from services.escrow.domain.timeline import OrderParties, TimelineEntry
from shared.clock import ManualClock
from shared.errors import Conflict
from shared.messaging.envelope import Event
from shared.money import Money
from shared.mongo import Session
from shared.security import webhooks
from shared.store import Versioned
from shared.unit_of_work import TimerHandler

from .unit_of_work import FakeUnitOfWork


class InMemoryOrders:
    """Orders with the store's guard: a save must find the version it loaded, and bumps it."""

    def __init__(self) -> None:
        self._orders: dict[str, Versioned[Order]] = {}

    async def get(self, order_id: str, *, session: Session | None = None) -> Versioned[Order]:
        if order_id not in self._orders:
            raise OrderNotFound(f"order {order_id} not found")
        return self._orders[order_id]

    async def insert_unless_present(self, order: Order, *, session: Session) -> Versioned[Order] | None:
        if order.order_id in self._orders:
            return self._orders[order.order_id]
        self._orders[order.order_id] = Versioned(order, 1)
        return None

    async def save(self, order: Order, *, expected_version: int, session: Session) -> None:
        stored = self._orders.get(order.order_id)
        if stored is None or stored.version != expected_version:
            raise Conflict(f"orders {order.order_id} changed since version {expected_version}")
        self._orders[order.order_id] = Versioned(order, expected_version + 1)

    async def all(self, *, session: Session | None = None) -> AsyncIterator[Order]:
        for stored in list(self._orders.values()):
            yield stored.value

    def snapshot(self) -> Any:
        return dict(self._orders)

    def restore(self, state: Any) -> None:
        self._orders = state


class DoubleBooking(Exception):
    """An entry id booked twice: MongoDB's unique `_id` refuses it, and so does this fake."""


class InMemoryJournal:
    def __init__(self) -> None:
        self._entries: dict[str, JournalEntry] = {}
        self._owed: dict[tuple[str, str], int] = {}

    async def book(self, entries: Sequence[JournalEntry], *, session: Session) -> None:
        for entry in entries:
            if entry.entry_id in self._entries:
                raise DoubleBooking(entry.entry_id)
            self._entries[entry.entry_id] = entry
            for posting in entry.postings:
                if accounts.account_kind(posting.account) is AccountKind.SUPPLIER_RECEIVABLE:
                    key = (accounts.account_owner(posting.account) or "", posting.amount.currency)
                    self._owed[key] = self._owed.get(key, 0) - posting.amount.amount

    async def owed_by_supplier(self, supplier_id: str, currency: str, *, session: Session) -> Money:
        return Money(amount=self._owed.get((supplier_id, currency), 0), currency=currency)

    async def entries(self, *, session: Session | None = None) -> list[JournalEntry]:
        return sorted(self._entries.values(), key=lambda entry: entry.booked_at)

    def snapshot(self) -> Any:
        return dict(self._entries), dict(self._owed)

    def restore(self, state: Any) -> None:
        self._entries, self._owed = state


class InMemoryPaymentIntents:
    def __init__(self) -> None:
        self._intents: dict[str, PaymentIntent] = {}
        self._delivered: set[str] = set()

    async def remember(self, intent: PaymentIntent, *, session: Session) -> None:
        self._intents.setdefault(intent.intent_id, intent)

    async def of_order(self, order_id: str, *, session: Session | None = None) -> list[PaymentIntent]:
        return sorted(
            (intent for intent in self._intents.values() if intent.order_id == order_id),
            key=lambda intent: intent.intent_id,
        )

    async def settle(
        self,
        event_id: str,
        intent_id: str,
        order_id: str,
        status: IntentStatus,
        failure_reason: str | None,
        *,
        received_at: datetime,
        session: Session,
    ) -> Settlement:
        intent = self._intents.get(intent_id)
        if intent is None or intent.order_id != order_id:
            return Settlement(None)
        if event_id in self._delivered:
            return Settlement(None, repeated=True)
        self._delivered.add(event_id)
        self._intents[intent_id] = intent.model_copy(update={"status": status})
        return Settlement(self._intents[intent_id])

    def snapshot(self) -> Any:
        return dict(self._intents), set(self._delivered)

    def restore(self, state: Any) -> None:
        self._intents, self._delivered = state


class InMemoryOrderPayments:
    """The two reads the MongoDB adapter joins into one."""

    def __init__(self, orders: InMemoryOrders, intents: InMemoryPaymentIntents) -> None:
        self._orders = orders
        self._intents = intents

    async def of_order(self, order_id: str) -> tuple[Order, list[PaymentIntent]]:
        order = (await self._orders.get(order_id)).value
        return order, await self._intents.of_order(order_id)


class InMemoryReleaseBasis:
    """The two reads the MongoDB adapter joins into one."""

    def __init__(self, orders: InMemoryOrders, journal: InMemoryJournal) -> None:
        self._orders = orders
        self._journal = journal

    async def of_order(self, order_id: str, *, session: Session) -> tuple[Versioned[Order], Money]:
        stored = await self._orders.get(order_id)
        order = stored.value
        return stored, await self._journal.owed_by_supplier(
            order.supplier_id, order.currency, session=session
        )


class InMemoryTimeline:
    def __init__(self) -> None:
        self._entries: dict[str, tuple[TimelineEntry, OrderParties]] = {}

    async def add(self, entries: Sequence[tuple[TimelineEntry, OrderParties]], session: Session) -> None:
        for entry, parties in entries:
            self._entries[entry.message_id] = (entry, parties)

    async def timeline(self, order_id: str) -> tuple[list[TimelineEntry], OrderParties | None]:
        mine = sorted(
            (pair for pair in self._entries.values() if pair[0].order_id == order_id),
            key=lambda pair: (pair[0].time, pair[0].message_id),
        )
        if not mine:
            return [], None
        named = {
            role: next((getattr(p, role) for _, p in mine if getattr(p, role)), None)
            for role in ("buyer_id", "supplier_id")
        }
        return [entry for entry, _ in mine], OrderParties(order_id=order_id, **named)

    def snapshot(self) -> Any:
        return dict(self._entries)

    def restore(self, state: Any) -> None:
        self._entries = state


class FakePaymentProvider:
    """Like a real provider: the same idempotency key returns the same intent."""

    async def create_intent(self, *, order_id: str, amount: Money, idempotency_key: str) -> PaymentIntent:
        intent_id = "pi_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]
        return PaymentIntent(
            intent_id=intent_id,
            order_id=order_id,
            amount=amount,
            status=IntentStatus.REQUIRES_PAYMENT,
            client_secret=f"{intent_id}_secret",
        )


@dataclass
class FakeEscrow:
    """Escrow's handlers bootstrapped over in-memory stores, with its timers swept by hand."""

    policy: EscrowPolicy
    clock: ManualClock
    webhook_secret: str = "whsec_fake"
    orders: InMemoryOrders = field(default_factory=InMemoryOrders)
    journal: InMemoryJournal = field(default_factory=InMemoryJournal)
    intents: InMemoryPaymentIntents = field(default_factory=InMemoryPaymentIntents)
    timeline: InMemoryTimeline = field(default_factory=InMemoryTimeline)

    def __post_init__(self) -> None:
        self.uow = FakeUnitOfWork(self.orders, self.journal, self.intents, self.timeline)
        self.escrow: Escrow = bootstrap(
            uow=self.uow,
            orders=self.orders,
            journal=self.journal,
            intents=self.intents,
            order_payments=InMemoryOrderPayments(self.orders, self.intents),
            release_basis=InMemoryReleaseBasis(self.orders, self.journal),
            timeline=self.timeline,
            provider=FakePaymentProvider(),
            policy=self.policy,
            clock=self.clock,
            webhook_secrets=[self.webhook_secret],
            webhook_tolerance_seconds=300,
        )

    async def deliver(self, event: Event) -> None:
        """One consumer delivery of another service's event, in a unit of work of its own."""
        await self.uow.deliver(self.escrow.subscriptions, event, occurred_at=self.clock.now())

    def webhook(self, intent_id: str, order_id: str, amount: object) -> bytes:
        event = PaymentWebhook(
            event_id=f"evt_{uuid.uuid4().hex}",
            type=SUCCEEDED,
            created=int(self.clock.now().timestamp()),
            data=WebhookIntent.model_validate(
                {"intent_id": intent_id, "order_id": order_id, "amount": amount}
            ),
        )
        return event.model_dump_json().encode()

    async def deliver_webhook(self, body: bytes) -> None:
        """One delivery attempt, signed when sent, as a provider does on every retry."""
        await self.escrow.payments.receive_webhook(
            body, webhooks.sign(self.webhook_secret, body, int(self.clock.now().timestamp()))
        )

    def published(self, event_type: str) -> list[Event]:
        return [event for event in self.uow.published if event_type == event.TYPE]

    async def sweep_timers(self) -> None:
        """What escrow's timers do when the clock has moved: fire every due order, each in its own change."""
        now = self.clock.now()
        for order in [order async for order in self.orders.all()]:
            timers: tuple[tuple[datetime | None, TimerHandler], ...] = (
                (auto_confirm_due_at(order, self.policy), self.escrow.release.auto_confirm),
                (automatic_compensation_due_at(order), self.escrow.compensation.automatic),
            )
            for due, fire in timers:
                if due is not None and due <= now:
                    await self.uow.fire(fire, order.order_id, now)
