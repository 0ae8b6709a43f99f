"""Consumer base: validate, deduplicate through the inbox in the effect's transaction, ack after commit.

Deliveries waiting at the same moment share one transaction (one inbox write, one commit); if that batch
fails, each of its messages is retried alone, so one bad message (or one already applied) fails alone.

A message that fails (bad JSON, schema, unknown type, handler error) is retried through the wait tiers and
then parked; the queue keeps flowing meanwhile because a failed message is acked once its copy is safe.
A handler that raises `Rejected` (a rule refused it: every retry would be refused alike) is parked at once.
A message that fails because the database does not answer waits and is applied again: an outage is no
fault of the message, so it burns no tier and is never parked.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Iterator
from typing import Any

import structlog
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue, AbstractRobustConnection
from pydantic import ValidationError
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from shared.clock import Clock
from shared.correlation import correlated
from shared.errors import Rejected
from shared.logging import bound
from shared.messaging.batching import Batcher, Delivery
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import AlreadyProcessed, Inbox
from shared.messaging.outbox import Outbox
from shared.messaging.publisher import Publisher, PublishFailed
from shared.messaging.subscription import MessageContext, Subscription
from shared.messaging.topology import Topology, persistent_message
from shared.metrics import MessageOutcome, PlatformMetrics
from shared.mongo import Document, Session, is_unavailable, run_in_transaction

log = structlog.get_logger(__name__)

ATTEMPT_HEADER = "x-tg-attempt"
ERROR_HEADER = "x-tg-error"
ORIGIN_HEADER = "x-tg-origin-queue"
# The routing key the producer published with: retries travel under the queue's name instead.
ROUTING_KEY_HEADER = "x-tg-routing-key"
# How long a message waits before it is applied again while the database does not answer.
DATABASE_RETRY_SECONDS = 1.0
# Set on a message a rule refused (`Rejected`): replaying it only helps once the rule's cause is fixed.
REJECTED_HEADER = "x-tg-rejected"


class UnknownMessage(ValueError):
    """The queue delivered a type/version this subscription has no handler for."""


class Consumer:
    """Consumes one subscription's queue with bounded concurrency (the prefetch)."""

    def __init__(
        self,
        subscription: Subscription,
        *,
        client: AsyncMongoClient[Document],
        db: AsyncDatabase[Document],
        outbox: Outbox,
        publisher: Publisher,
        topology: Topology,
        clock: Clock,
        metrics: PlatformMetrics,
        prefetch: int,
        conflict_budget_seconds: float,
        max_batch: int = 32,
    ) -> None:
        self.subscription = subscription
        self._client = client
        self._inbox = Inbox(db, clock)
        self._outbox = outbox
        self._publisher = publisher
        self._topology = topology
        self._metrics = metrics
        # Its series exist from the start, so the first message parked after a restart is an increase.
        metrics.expect_subscription(subscription.name)
        self._prefetch = prefetch
        self._conflict_budget = conflict_budget_seconds
        self._queue_name = topology.queue(subscription.name)
        self._channel: AbstractChannel | None = None
        self._queue: AbstractQueue | None = None
        self._consumer_tag: str | None = None
        self._in_flight: set[asyncio.Task[Any]] = set()
        self._batcher = Batcher(self._apply_batch, self._apply_one, max_batch=max_batch)
        self._idle = asyncio.Event()
        self._idle.set()
        self._stopping = asyncio.Event()

    @property
    def consuming(self) -> bool:
        return self._consumer_tag is not None and self._channel is not None and not self._channel.is_closed

    async def start(self, connection: AbstractRobustConnection) -> None:
        self._channel = await connection.channel()
        await self._channel.set_qos(prefetch_count=self._prefetch)
        await self._topology.declare_consumer_infrastructure(self._channel)
        self._queue = await self._topology.declare_subscription_queue(
            self._channel,
            self.subscription.name,
            self.subscription.bindings(),
            self.subscription.retired_bindings(),
        )
        # A robust channel re-declares the queue and re-registers this consumer after a reconnect.
        self._consumer_tag = await self._queue.consume(self._on_message)

    async def stop(self, *, drain_timeout: float) -> None:
        """Stop taking new messages, let in-flight handlers finish (ack included), then close the channel."""
        self._stopping.set()
        if self._queue is not None and self._consumer_tag is not None:
            with contextlib.suppress(Exception):
                await self._queue.cancel(self._consumer_tag)
        self._consumer_tag = None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(drain_timeout):
                await self._idle.wait()
        if self._channel is not None and not self._channel.is_closed:
            await self._channel.close()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        self._idle.clear()
        try:
            await self._process(message)
        finally:
            if task is not None:
                self._in_flight.discard(task)
            if not self._in_flight:
                self._idle.set()

    async def _process(self, message: AbstractIncomingMessage) -> None:
        started = time.perf_counter()
        attempt = _attempt(message)
        try:
            envelope = Envelope.model_validate_json(message.body)
        except ValidationError as error:
            await self._retry_or_park(message, attempt, f"invalid envelope: {error.errors()[:3]}")
            return
        with bound(subscription=self.subscription.name), _handling(envelope):
            outcome = await self._dispatch(message, envelope, attempt)
            self._metrics.messages_handled.labels(self.subscription.name, outcome).inc()
            self._metrics.message_latency.labels(self.subscription.name).observe(
                time.perf_counter() - started
            )

    async def _dispatch(
        self, message: AbstractIncomingMessage, envelope: Envelope, attempt: int
    ) -> MessageOutcome:
        route = self.subscription.route_for(envelope.type, envelope.version)
        try:
            if route is None:
                raise UnknownMessage(f"no handler for {envelope.routing_key}")
            event = route.model.model_validate(envelope.payload)
        except (UnknownMessage, ValidationError) as error:
            log.warning("message_rejected", attempt=attempt, error=repr(error))
            await self._retry_or_park(message, attempt, repr(error))
            return "failed"
        return await self._batcher.submit(Delivery(message, envelope, route, event, attempt))

    async def _apply_batch(self, batch: list[Delivery]) -> dict[Delivery, MessageOutcome]:
        """All deliveries' effects in one transaction, which stands or falls as a whole."""

        async def effects(session: Session) -> dict[Delivery, MessageOutcome]:
            # A message delivered twice within this batch is applied once.
            seen: set[uuid.UUID] = set()
            outcomes: dict[Delivery, MessageOutcome] = {}
            for delivery in batch:
                message_id = delivery.envelope.message_id
                outcomes[delivery] = "duplicate" if message_id in seen else "handled"
                seen.add(message_id)
            fresh = [delivery for delivery in batch if outcomes[delivery] == "handled"]
            # No inbox read first: the claim's unique key rejects a message applied before (AlreadyProcessed,
            # before any handler ran), and the batch is then retried message by message. Reading first
            # cost every batch one more round trip to spare that rare abort.
            await self._inbox.claim_many(
                session, self.subscription.name, [d.envelope.message_id for d in fresh]
            )
            for delivery in fresh:
                # The batch runs in one task: each handler gets its own message's correlation and cause.
                with _handling(delivery.envelope):
                    context = MessageContext(session, delivery.envelope, self._outbox)
                    await delivery.route.handler(context, delivery.event)
            return outcomes

        outcomes = await run_in_transaction(self._client, effects, budget_seconds=self._conflict_budget)
        for delivery, outcome in outcomes.items():
            await self._ack(delivery.message)
            log.info(
                "message_handled" if outcome == "handled" else "message_duplicate_skipped",
                message_id=str(delivery.envelope.message_id),
            )
        return outcomes

    async def _apply_one(self, delivery: Delivery) -> MessageOutcome:
        """The fallback when a batch fails: alone, so only the failing message is retried."""
        message, envelope, attempt = delivery.message, delivery.envelope, delivery.attempt
        while True:
            try:
                return (await self._apply_batch([delivery]))[delivery]
            except AlreadyProcessed:
                # Another delivery of this message committed between our inbox read and our write.
                await self._ack(message)
                return "duplicate"
            except Exception as error:  # no failure may stop the queue
                if is_unavailable(error):
                    if await self._database_awaited(delivery, error):
                        continue
                    return "failed"
                log.warning(
                    "message_failed", attempt=attempt, error=repr(error), message_id=str(envelope.message_id)
                )
                if isinstance(error, Rejected):
                    await self._retry_or_park(message, attempt, rejection_reason(error), rejected=True)
                else:
                    await self._retry_or_park(message, attempt, repr(error))
                return "failed"

    async def _database_awaited(self, delivery: Delivery, error: Exception) -> bool:
        """The database is gone for now: nothing is wrong with the message, so it burns no retry tier and
        is never parked. It waits here, holding its prefetch slot (the queue waits with it), to be applied
        again (True); on shutdown it goes back to the queue instead (False)."""
        log.warning(
            "message_waits_for_database",
            error=repr(error),
            message_id=str(delivery.envelope.message_id),
            retry_in=DATABASE_RETRY_SECONDS,
        )
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(DATABASE_RETRY_SECONDS):
                await self._stopping.wait()
        if not self._stopping.is_set():
            return True
        await _requeue(delivery.message)
        return False

    async def _retry_or_park(
        self, message: AbstractIncomingMessage, attempt: int, reason: str, *, rejected: bool = False
    ) -> None:
        """Send a copy to the next wait tier (or, once they are spent or when a rule rejected it, to the
        parking lot), and ack the original once the copy is safe."""
        delays = self._topology.retry_delays_ms
        headers: dict[str, str | int] = {
            ATTEMPT_HEADER: attempt + 1,
            ERROR_HEADER: reason[:1000],
            ROUTING_KEY_HEADER: original_routing_key(message),
        }
        if attempt < len(delays) and not rejected:
            exchange, routing_key = self._topology.wait_queue(delays[attempt]), self._queue_name
        else:
            exchange, routing_key = "", self._topology.parking_lot
            headers[ORIGIN_HEADER] = self._queue_name
            if rejected:
                headers[REJECTED_HEADER] = 1
        copy = persistent_message(
            message.body,
            message_id=message.message_id or "",
            message_type=message.type or "",
            correlation_id=message.correlation_id,
            headers=headers,
        )
        try:
            await self._publisher.publish(exchange, routing_key, copy)
        except PublishFailed as error:
            # The copy is not safe (the broker is restarting, say): the original goes back to its queue now.
            # Left unsettled, it would hold a prefetch slot for the life of the channel, and enough of them
            # stop the queue's deliveries to this consumer altogether.
            log.warning("retry_copy_not_published_requeued", error=repr(error), queue=self._queue_name)
            await _requeue(message)
            return
        if exchange == "":
            self._metrics.messages_parked.labels(self.subscription.name).inc()
            log.error("message_parked", queue=self._queue_name, attempts=attempt + 1, reason=reason[:300])
        await self._ack(message)

    async def _ack(self, message: AbstractIncomingMessage) -> None:
        # After a broker reconnect the delivery tag is void; the broker redelivers and the inbox skips it.
        try:
            await message.ack()
        except Exception as error:
            log.info("ack_lost_will_be_redelivered", error=repr(error))


async def _requeue(message: AbstractIncomingMessage) -> None:
    """Give the message back to its queue now (a closed channel requeues it all the same)."""
    with contextlib.suppress(Exception):
        await message.nack(requeue=True)


@contextlib.contextmanager
def _handling(envelope: Envelope) -> Iterator[None]:
    """What a message's handler records carries its correlation, and the message as its cause."""
    message_id = str(envelope.message_id)
    with (
        correlated(envelope.correlation_id, causation_id=message_id),
        bound(message_id=message_id, message_type=envelope.type),
    ):
        yield


def rejection_reason(error: Rejected) -> str:
    """The rule's own words, under its stable code: what an operator reads on the parked message."""
    return f"{error.code}: {error.message}"


def original_routing_key(message: AbstractIncomingMessage) -> str:
    """The producer's routing key, whichever retry tier the message comes back from."""
    value = (message.headers or {}).get(ROUTING_KEY_HEADER)
    return value if isinstance(value, str) else message.routing_key or ""


def _attempt(message: AbstractIncomingMessage) -> int:
    """How many times this message has failed before (our own header; 0 on first delivery)."""
    value = (message.headers or {}).get(ATTEMPT_HEADER, 0)
    return value if isinstance(value, int) else 0
