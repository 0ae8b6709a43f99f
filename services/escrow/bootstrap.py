"""Escrow's handlers wired once: over MongoDB in app.py, over in-memory fakes in tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from services.escrow.adapters.payment_provider import PaymentProvider
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.handlers.books import Books
from services.escrow.handlers.claims import disputes_events
from services.escrow.handlers.compensation import Compensation
from services.escrow.handlers.orders import OrderCommands
from services.escrow.handlers.payments import Payments
from services.escrow.handlers.ports import (
    Ledger,
    OrderPayments,
    Orders,
    PaymentIntentLog,
    ReleaseBasis,
    Timeline,
)
from services.escrow.handlers.release import Release
from services.escrow.handlers.shipments import logistics_events
from services.escrow.handlers.timeline import record_consumed, timeline_subscription
from shared.clock import Clock
from shared.messaging.subscription import Subscription
from shared.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Escrow:
    """Every escrow handler, wired once: what the routes, the consumers and the timers call."""

    books: Books
    orders: OrderCommands
    payments: Payments
    release: Release
    compensation: Compensation
    timeline: Timeline
    subscriptions: tuple[Subscription, ...]


def bootstrap(
    *,
    uow: UnitOfWork,
    orders: Orders,
    journal: Ledger,
    intents: PaymentIntentLog,
    order_payments: OrderPayments,
    release_basis: ReleaseBasis,
    timeline: Timeline,
    provider: PaymentProvider,
    policy: EscrowPolicy,
    clock: Clock,
    webhook_secrets: Sequence[str],
    webhook_tolerance_seconds: int,
) -> Escrow:
    books = Books(uow=uow, orders=orders, journal=journal, policy=policy, clock=clock)
    compensation = Compensation(books)
    return Escrow(
        books=books,
        orders=OrderCommands(books),
        payments=Payments(
            books,
            intents,
            order_payments,
            provider,
            webhook_secrets=webhook_secrets,
            tolerance_seconds=webhook_tolerance_seconds,
        ),
        release=Release(books, release_basis),
        compensation=compensation,
        timeline=timeline,
        subscriptions=(
            # The timeline rides on the queues escrow already takes these producers' events from.
            logistics_events(books, compensation).on_every_event_of("logistics", record_consumed(timeline)),
            disputes_events(books).on_every_event_of("disputes", record_consumed(timeline)),
            timeline_subscription(timeline),
        ),
    )
