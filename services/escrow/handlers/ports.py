"""What escrow's handlers need from storage: MongoDB adapters serve production, in-memory fakes the tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Protocol

from services.escrow.adapters.payment_intents import Settlement
from services.escrow.adapters.payment_provider import IntentStatus, PaymentIntent
from services.escrow.domain.journal import JournalEntry
from services.escrow.domain.order import Order
from services.escrow.domain.timeline import OrderParties, TimelineEntry
from shared.money import Money
from shared.mongo import Session
from shared.store import Versioned


class Orders(Protocol):
    async def get(self, order_id: str, *, session: Session | None = None) -> Versioned[Order]: ...

    async def insert_unless_present(self, order: Order, *, session: Session) -> Versioned[Order] | None: ...

    async def save(self, order: Order, *, expected_version: int, session: Session) -> None: ...

    def all(self, *, session: Session | None = None) -> AsyncIterator[Order]: ...


class Ledger(Protocol):
    async def book(self, entries: Sequence[JournalEntry], *, session: Session) -> None: ...

    async def owed_by_supplier(self, supplier_id: str, currency: str, *, session: Session) -> Money: ...

    async def entries(self, *, session: Session | None = None) -> list[JournalEntry]: ...


class PaymentIntentLog(Protocol):
    async def remember(self, intent: PaymentIntent, *, session: Session) -> None: ...

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
        """Apply the webhook event once to the intent of that id that pays that order (else write nothing)."""
        ...


class OrderPayments(Protocol):
    async def of_order(self, order_id: str) -> tuple[Order, list[PaymentIntent]]:
        """The order and its payment intents, read together (`OrderNotFound` when there is no order)."""
        ...


class ReleaseBasis(Protocol):
    async def of_order(self, order_id: str, *, session: Session) -> tuple[Versioned[Order], Money]:
        """The order as stored and what its supplier owes the fund in its currency, read together."""
        ...


class Timeline(Protocol):
    async def add(self, entries: Sequence[tuple[TimelineEntry, OrderParties]], session: Session) -> None:
        """Entries, each with the order's parties its event names, in one write."""
        ...

    async def timeline(self, order_id: str) -> tuple[list[TimelineEntry], OrderParties | None]: ...
