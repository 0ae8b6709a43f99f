"""The live infrastructure of one service instance: MongoDB, broker, outbox relay, consumers, workers.

`start()` brings them up in dependency order; `stop()` is the graceful shutdown of ARCHITECTURE.md:
stop consuming, drain in-flight handlers, stop workers, flush the relay, close AMQP, close MongoDB.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

import aio_pika
import structlog
from aio_pika.abc import AbstractRobustConnection

from shared.clock import Clock, SystemClock, TestClock
from shared.errors import Transient
from shared.messaging.consumer import Consumer
from shared.messaging.envelope import Envelope, Event
from shared.messaging.inbox import INBOX_INDEXES
from shared.messaging.lease import LEASES, Lease
from shared.messaging.outbox import OUTBOX_INDEXES, Outbox
from shared.messaging.publisher import Publisher
from shared.messaging.relay import OutboxRelay
from shared.messaging.subscription import Subscription
from shared.messaging.topology import Topology
from shared.metrics import PlatformMetrics
from shared.mongo import Indexes, Session, connect, ensure_indexes, run_in_transaction
from shared.parking.keeper import ParkingLotKeeper
from shared.parking.lot import ParkingLot
from shared.sessions import SessionRegistry
from shared.settings import ServiceSettings

T = TypeVar("T")
log = structlog.get_logger(__name__)


class Worker(Protocol):
    """A background loop owned by the service (timers, sweeps)."""

    def start(self) -> None: ...

    async def stop(self) -> None: ...


class Platform:
    def __init__(self, settings: ServiceSettings, *, clock: Clock | None = None) -> None:
        self.settings = settings
        # Sandbox mode runs on a test clock that `sandbox.clock_advanced` moves; never in production.
        self.clock: Clock = clock or (TestClock() if settings.sandbox else SystemClock())
        self.metrics = PlatformMetrics()
        self.topology = Topology(
            namespace=settings.amqp_namespace,
            service=settings.service_name,
            retry_delays_ms=tuple(settings.retry_delays_ms),
            delivery_limit=settings.delivery_limit,
            queue_type=settings.amqp_queue_type,
        )
        self.client = connect(
            settings.mongo_url,
            app_name=settings.service_name,
            max_connections=settings.database_max_connections,
        )
        self.db = self.client[settings.mongo_db]
        self.outbox = Outbox(self.db, self.topology, self.clock, writer=settings.replica)
        self.connection: AbstractRobustConnection | None = None
        self.publisher: Publisher | None = None
        self.relay: OutboxRelay | None = None
        self.consumers: list[Consumer] = []
        self.parking_lot = ParkingLot(
            self.client, self.db, self.topology, self.clock, self.metrics, publish=self.publish
        )
        self.keeper: ParkingLotKeeper | None = None
        self.workers: list[Worker] = []
        self.sessions = SessionRegistry(
            self.db, settings.replica, heartbeat_seconds=settings.process_heartbeat_seconds
        )

    async def start(
        self,
        *,
        subscriptions: Sequence[Subscription] = (),
        indexes: Sequence[Indexes] = (),
        workers: Sequence[Worker] = (),
    ) -> None:
        settings = self.settings
        await ensure_indexes(self.db, [OUTBOX_INDEXES, INBOX_INDEXES, *indexes])
        # Before any transaction: each one's server session is recorded, and a predecessor's are ended.
        await self.sessions.start()
        self.connection = await aio_pika.connect_robust(
            settings.amqp_url, client_properties={"connection_name": settings.service_name}
        )
        channel = await self.connection.channel()
        await self.topology.declare_events_exchange(channel, settings.service_name)
        await channel.close()
        self.publisher = Publisher(self.connection)
        self.relay = OutboxRelay(
            self.db,
            self.publisher,
            self.clock,
            self.metrics,
            lease=Lease(
                self.db[LEASES], "outbox-relay", settings.replica, period_seconds=settings.relay_lease_seconds
            ),
            writer=self.outbox.writer,
            batch_size=settings.relay_batch_size,
            sweep_seconds=settings.relay_sweep_seconds,
            orphan_seconds=settings.relay_orphan_seconds,
            max_backoff_seconds=settings.relay_max_backoff_seconds,
            mark_delay_seconds=settings.relay_mark_delay_seconds,
        )
        self.outbox.on_commit(self.relay.committed)
        self.relay.start()
        for subscription in subscriptions:
            consumer = Consumer(
                subscription,
                client=self.client,
                db=self.db,
                outbox=self.outbox,
                publisher=self.publisher,
                topology=self.topology,
                clock=self.clock,
                metrics=self.metrics,
                prefetch=settings.prefetch,
                conflict_budget_seconds=settings.message_conflict_budget_seconds,
            )
            await consumer.start(self.connection)
            self.consumers.append(consumer)
        if self.consumers:
            # A service that consumes nothing parks nothing, and declares no parking lot.
            self.keeper = ParkingLotKeeper(self.parking_lot, self.topology, self.clock)
            await self.keeper.start(self.connection)
            # Every queue's gauge from the start, so that the first parked message after a restart shows.
            await self.parking_lot.count(*(self.topology.queue(c.subscription.name) for c in self.consumers))
        self.workers = list(workers)
        for worker in self.workers:
            worker.start()
        log.info("platform_started", consumers=[c.subscription.name for c in self.consumers])

    async def stop(self) -> None:
        """Every step within what is left of one grace period, so the whole is bounded, not each step."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.shutdown_grace_seconds

        def left() -> float:
            return max(0.0, deadline - loop.time())

        await asyncio.gather(*(consumer.stop(drain_timeout=left()) for consumer in self.consumers))
        if self.keeper is not None:
            await self.keeper.stop(drain_timeout=left())
        for worker in self.workers:
            await worker.stop()
        if self.relay is not None:
            await self.relay.stop(flush_timeout=left())
        if self.publisher is not None:
            await self.publisher.close()
        if self.connection is not None:
            await self.connection.close()
        # Closing ends the client's sessions on the server: a paused server would hold it.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(left()):
                await self.sessions.stop()
                await self.client.close()
        log.info("platform_stopped")

    async def transaction(self, work: Callable[[Session], Awaitable[T]]) -> T:
        """Run a state change and the events it records in one retried MongoDB transaction."""
        return await run_in_transaction(self.client, work)

    async def record(self, session: Session, event: Event) -> Envelope:
        """Add an event to the outbox in the caller's transaction, correlated with the work in progress."""
        return await self.outbox.add(session, event)

    async def publish(self, exchange: str, routing_key: str, message: aio_pika.Message) -> None:
        """Publish with confirms on the platform's channel (the parking lot's replays go this way)."""
        if self.publisher is None:
            raise Transient("the broker connection is not open yet")
        await self.publisher.publish(exchange, routing_key, message)

    # Readiness checks for /readyz (MongoDB's is shared.http.app's own ping).
    async def broker_ready(self) -> bool:
        return self.connection is not None and not self.connection.is_closed

    async def consumers_ready(self) -> bool:
        keeper = self.keeper is None or self.keeper.consuming
        return keeper and all(consumer.consuming for consumer in self.consumers)
