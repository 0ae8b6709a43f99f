"""Escrow's handler layer on a real MongoDB database, without HTTP or broker: what property tests drive."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.adapters.journal import JOURNAL_INDEXES, Journal
from services.escrow.adapters.orders import ORDER_INDEXES, OrderRepository
from services.escrow.adapters.payment_intents import PAYMENT_INDEXES, PaymentIntents
from services.escrow.adapters.payment_provider import SUCCEEDED, PaymentWebhook, WebhookIntent
from services.escrow.adapters.sandbox_payments import SandboxPaymentProvider
from services.escrow.domain.contract import ContractTerms
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.quote_terms import QuotedOrder
from services.escrow.domain.terms import Incoterm, OrderKind
from services.escrow.handlers.books import Books
from services.escrow.handlers.claims import disputes_events
from services.escrow.handlers.compensation import Compensation
from services.escrow.handlers.orders import OrderCommands
from services.escrow.handlers.payments import Payments
from services.escrow.handlers.release import Release
from services.escrow.handlers.shipments import logistics_events
from services.escrow.handlers.timers import escrow_timers
from shared.clock import ManualClock
from shared.correlation import correlated
from shared.messaging.envelope import Envelope, Event
from shared.messaging.outbox import OUTBOX, Outbox
from shared.messaging.subscription import MessageContext, Subscription
from shared.messaging.topology import Topology
from shared.money import Money
from shared.mongo import Document, Session, ensure_indexes, run_in_transaction
from shared.security import webhooks
from shared.security.jwt import Principal
from shared.timers import DueTimer

T = TypeVar("T")
SECRET = "whsec_property"


@dataclass
class MongoTransactor:
    """The platform's transaction + outbox, on a test database (no broker: rows stay in the outbox)."""

    client: AsyncMongoClient[Document]
    outbox: Outbox

    async def transaction(self, work: Callable[[Session], Awaitable[T]]) -> T:
        return await run_in_transaction(self.client, work)

    async def record(self, session: Session, event: Event) -> Envelope:
        return await self.outbox.add(session, event)


class EscrowHandlers:
    """Every escrow handler wired as app.py wires them, over `db`."""

    def __init__(
        self, client: AsyncMongoClient[Document], db: AsyncDatabase[Document], clock: ManualClock
    ) -> None:
        self.db, self.clock = db, clock
        self.outbox = Outbox(db, Topology(namespace="prop", service="escrow", retry_delays_ms=()), clock)
        self.tx = MongoTransactor(client, self.outbox)
        policy = EscrowPolicy(compensation_cap_minor={"USD": 10_000, "JPY": 15_000, "KWD": 30_000})
        self.books = Books(self.tx, OrderRepository(db, policy), Journal(db), policy, clock)
        self.provider = SandboxPaymentProvider(db, clock, secret=SECRET)
        self.payments = Payments(
            self.books, PaymentIntents(db), self.provider, webhook_secrets=[SECRET], tolerance_seconds=300
        )
        self.orders = OrderCommands(self.books)
        self.release = Release(self.books)
        self.compensation = Compensation(self.books)
        self.subscriptions = [logistics_events(self.books, self.compensation), disputes_events(self.books)]
        self.timers: list[DueTimer] = escrow_timers(
            client=client, db=db, clock=clock, release=self.release, compensation=self.compensation
        )

    async def start(self) -> None:
        await ensure_indexes(
            self.db, [ORDER_INDEXES, JOURNAL_INDEXES, PAYMENT_INDEXES, *(t.index for t in self.timers)]
        )

    async def deliver(self, event: Event) -> None:
        """One consumer delivery of another service's event: its handler in its own transaction."""
        envelope = Envelope.wrap(event, occurred_at=self.clock.now(), correlation_id="prop")
        route = _route(self.subscriptions, event)

        async def handle(session: Session) -> None:
            await route(MessageContext(session, envelope, self.outbox), event)

        # As the consumer does: what the handler records is correlated with the message, and caused by it.
        with correlated(envelope.correlation_id, causation_id=str(envelope.message_id)):
            await self.tx.transaction(handle)

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
        await self.payments.receive_webhook(
            body, webhooks.sign(SECRET, body, int(self.clock.now().timestamp()))
        )

    async def published(self, event_type: str) -> list[dict[str, object]]:
        rows = await self.db[OUTBOX].find({"envelope.type": event_type}).to_list()
        return [row["envelope"]["payload"] for row in rows]

    def now(self) -> datetime:
        return self.clock.now()


def _route(
    subscriptions: list[Subscription], event: Event
) -> Callable[[MessageContext, Event], Awaitable[None]]:
    for subscription in subscriptions:
        route = subscription.route_for(event.TYPE, event.VERSION)
        if route is not None:
            return route.handler
    raise LookupError(f"escrow does not consume {event.TYPE}")


# (currency, unit price, buyer tier): one supplier, so a refund after release is recovered from another order.
ORDERS = [("USD", 1_999, "standard"), ("JPY", 1_250, "enterprise"), ("KWD", 3_125, "enterprise_pro")]


def buyer(tier: str) -> Principal:
    return Principal(sub=f"b-{tier}", role="buyer", tier=tier)


def money(index: int, amount: int) -> Money:
    return Money(amount=amount, currency=ORDERS[index][0])


def quoted(currency: str, unit: int) -> QuotedOrder:
    terms = ContractTerms(
        quote_id=f"q-{uuid.uuid4().hex[:12]}",  # each catalog quote has its own id, and places one order
        product_id="p-1",
        quantity=100,
        unit_price=Money(amount=unit, currency=currency),
        shipping=Money(amount=10_000, currency=currency),
        incoterm=Incoterm.DAP,
        destination_country="US",
        destination_timezone="America/New_York",
        handling_time=timedelta(days=3),
        transit_days=10,
    )
    return QuotedOrder(kind=OrderKind.STANDARD, supplier_id="s-1", terms=terms)
