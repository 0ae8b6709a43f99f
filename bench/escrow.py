"""Escrow orders funded and released per second, and MongoDB round trips per order, next to the raw
single-document insert rate of the same server in the same run.

    python -m bench.escrow [--orders 300] [--concurrency 8]

One order's journey through escrow's handler layer on a started platform (outbox relay publishing to
RabbitMQ): place from quote terms → payment intent (sandbox provider) → signed provider webhook funds it →
dispatch and delivery (logistics' events, applied by escrow's consumer handlers in their own transactions)
→ the buyer confirms receipt (release). Round trips count every MongoDB command, relay included.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.support import CommandCounter, Stopwatch, install_command_counter, report
from deploy.local.servers import start_mongo_server
from deploy.local.vhosts import temporary_vhost
from services.escrow.adapters.journal import JOURNAL_INDEXES, Journal
from services.escrow.adapters.order_payments import OrderPaymentsReader
from services.escrow.adapters.orders import ORDER_LIST, OrderRepository
from services.escrow.adapters.payment_intents import PAYMENT_INDEXES, PaymentIntents
from services.escrow.adapters.payment_provider import SUCCEEDED, PaymentWebhook, WebhookIntent
from services.escrow.adapters.release_basis import ReleaseBasisReader
from services.escrow.adapters.sandbox_payments import SandboxPaymentProvider
from services.escrow.adapters.timeline_repository import TimelineRepository
from services.escrow.bootstrap import bootstrap
from services.escrow.domain.contract import ContractTerms
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.protection import protection_terms
from services.escrow.domain.quote_terms import QuotedOrder
from services.escrow.domain.reconciliation import Breach
from services.escrow.domain.terms import Incoterm
from services.escrow.handlers.ledger import check_books
from services.escrow.settings import EscrowSettings
from shared.contracts.catalog import EasyReturnOffer, EasyReturnTerms
from shared.contracts.escrow import BuyerTier, OrderKind
from shared.contracts.logistics import ShipmentDelivered, ShipmentDispatched
from shared.http.outbound import OutboundHttp
from shared.messaging.envelope import Envelope, Event
from shared.messaging.subscription import MessageContext
from shared.money import ExchangeRate, Money
from shared.mongo import Session, connect
from shared.platform import Platform
from shared.security import webhooks
from shared.security.jwt import Principal
from shared.unit_of_work import MongoUnitOfWork

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
BUYER = Principal(sub="b-bench", role="buyer", tier="standard")
TERMS = ContractTerms(
    quote_id="q-bench",
    product_id="p-1",
    quantity=100,
    unit_price=Money(amount=1_999, currency="USD"),
    shipping=Money(amount=15_000, currency="USD"),
    incoterm=Incoterm.DAP,
    destination_country="US",
    destination_timezone="America/New_York",
    handling_time=timedelta(days=3),
    transit_days=10,
    # A US order not promised Easy Return, under the default policy for a standard buyer.
    protection=protection_terms(
        ExchangeRate.usd(datetime(2026, 1, 1, tzinfo=UTC)),
        EasyReturnTerms(
            eligible=False,
            reason=EasyReturnOffer.NOT_OFFERED,
            value_cap=Money(amount=300_000, currency="USD"),
            window_days=30,
        ),
        BuyerTier.STANDARD,
        EscrowPolicy(),
    ),
)


async def raw_inserts(mongo_url: str, count: int, concurrency: int) -> float:
    """Single-document inserts (acknowledged, no transaction): documents/s."""
    client = connect(mongo_url, app_name="bench-raw")
    collection = client[f"bench_raw_{uuid.uuid4().hex[:6]}"]["documents"]
    semaphore = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with semaphore:
            await collection.insert_one({"_id": index, "payload": "x" * 200})

    clock = Stopwatch()
    await asyncio.gather(*(one(index) for index in range(count)))
    rate = count / clock.seconds
    await client.drop_database(collection.database.name)
    await client.close()
    return rate


class Journey:
    def __init__(self, platform: Platform, secret: str) -> None:
        policy = EscrowSettings().policy
        self.secret = secret
        # Wired as app.py wires it: the bench measures the service's own handlers over MongoDB.
        orders, journal = OrderRepository(platform.db, policy), Journal(platform.db)
        escrow = bootstrap(
            uow=MongoUnitOfWork(platform.client, platform.outbox),
            orders=orders,
            journal=journal,
            intents=PaymentIntents(platform.db),
            order_payments=OrderPaymentsReader(platform.db, orders),
            release_basis=ReleaseBasisReader(platform.db, orders, journal),
            timeline=TimelineRepository(platform.db),
            provider=SandboxPaymentProvider(
                platform.db, platform.clock, secret=secret, http=OutboundHttp(timeout_seconds=10)
            ),  # its webhooks are never posted here
            policy=policy,
            clock=platform.clock,
            webhook_secrets=[secret],
            webhook_tolerance_seconds=300,
        )
        self.books = escrow.books
        self.payments = escrow.payments
        self.orders = escrow.orders
        self.release = escrow.release
        self.logistics = escrow.subscriptions[0]
        self.platform = platform

    async def run(self, index: int) -> None:
        order = await self.orders.place(
            # One quote places one order: each order of the run has its own quote.
            QuotedOrder(
                kind=OrderKind.STANDARD,
                supplier_id="s-1",
                terms=TERMS.model_copy(update={"quote_id": f"q-bench-{index}-{uuid.uuid4().hex[:6]}"}),
            ),
            buyer=BUYER,
        )
        intent = await self.payments.create_intent(order.order_id, BUYER)
        body = (
            PaymentWebhook(
                event_id=f"evt_{uuid.uuid4().hex}",
                type=SUCCEEDED,
                created=int(self.platform.clock.now().timestamp()),
                data=WebhookIntent(intent_id=intent.intent_id, order_id=order.order_id, amount=intent.amount),
            )
            .model_dump_json()
            .encode()
        )
        await self.payments.receive_webhook(
            body, webhooks.sign(self.secret, body, int(self.platform.clock.now().timestamp()))
        )
        now = self.platform.clock.now()
        parties = {
            "order_id": order.order_id,
            "shipment_id": "sh",
            "buyer_id": BUYER.sub,
            "supplier_id": "s-1",
        }
        await self.consume(
            ShipmentDispatched(
                **parties,
                carrier="DHL",
                tracking_number="1",
                dispatched_at=now,
                dispatch_deadline=now,
                on_time=True,
            )
        )
        await self.consume(
            ShipmentDelivered(**parties, delivered_at=now, promised_delivery_date=now.date(), on_time=True)
        )
        await self.release.confirm_receipt(order.order_id, BUYER)

    async def consume(self, event: Event) -> None:
        envelope = Envelope.wrap(event, occurred_at=self.platform.clock.now(), correlation_id="bench")
        route = self.logistics.route_for(event.TYPE, event.VERSION)
        assert route is not None

        async def handle(session: Session) -> None:
            await route.handler(MessageContext(session, envelope, self.platform.outbox), event)

        await self.platform.transaction(handle)


async def journeys(
    mongo_url: str, amqp_url: str, orders: int, concurrency: int, counter: CommandCounter
) -> tuple[float, float, dict[str, int]]:
    namespace = f"bench{uuid.uuid4().hex[:6]}"
    settings = EscrowSettings(
        mongo_url=mongo_url, mongo_db=f"bench_escrow_{namespace}", amqp_url=amqp_url, amqp_namespace=namespace
    )
    platform = Platform(settings)
    await platform.start(indexes=[ORDER_LIST.indexes, JOURNAL_INDEXES, PAYMENT_INDEXES])
    journey = Journey(platform, settings.payment_webhook_secrets[0])
    semaphore = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with semaphore:
            await journey.run(index)

    with counter.counting():
        clock = Stopwatch()
        await asyncio.gather(*(one(index) for index in range(orders)))
        seconds = clock.seconds
        by_command = dict(counter.by_command)
    breaches = await check(journey)
    await platform.stop()
    client = connect(mongo_url, app_name="bench-cleanup")
    await client.drop_database(settings.mongo_db)
    await client.close()
    assert not breaches, breaches
    return orders / seconds, sum(by_command.values()) / orders, by_command


async def check(journey: Journey) -> list[Breach]:
    breaches, _, _ = await check_books(journey.books)
    return breaches


async def main(orders: int, concurrency: int, mongo_url: str | None) -> None:
    counter = install_command_counter()
    with tempfile.TemporaryDirectory() as home, temporary_vhost(AMQP_URL) as vhost:
        server = None if mongo_url else start_mongo_server(Path(home))
        url = mongo_url or (server.url if server else "")
        try:
            raw_rate = await raw_inserts(url, orders * 10, concurrency)
            rate, trips, by_command = await journeys(url, vhost.url, orders, concurrency, counter)
        finally:
            if server is not None:
                server.stop()
    report(
        "escrow",
        {
            "orders": orders,
            "concurrency": concurrency,
            "raw_single_document_inserts_per_s": round(raw_rate, 1),
            "orders_funded_and_released_per_s": round(rate, 1),
            "mongo_round_trips_per_order": round(trips, 1),
            "raw_inserts_per_order_time": round(raw_rate / rate, 1),
            "mongo_commands": by_command,
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--mongo-url", default=None, help="use this server instead of starting SecantusDB")
    args = parser.parse_args()
    asyncio.run(main(args.orders, args.concurrency, args.mongo_url))
