"""Declarative broker topology: names and arguments of every exchange and queue, declared idempotently.

Per producing service: one durable topic exchange `<ns>.<producer>.events`, routing key `<type>.v<version>`,
with an alternate exchange so that events nobody subscribes to yet are kept, not returned.
Per consuming service: one quorum queue per subscription, tiered wait queues that dead-letter back to it,
and a parking lot for messages that exhausted their retries.
"""

from __future__ import annotations

from dataclasses import dataclass

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue, ExchangeType
from pamqp.common import FieldTable

PARKING_LOT_MAX_LENGTH = 1_000_000
UNROUTED_TTL_MS = 7 * 24 * 3600 * 1000


@dataclass(frozen=True)
class Topology:
    """All names derive from the namespace and the consuming service, so environments can share a broker."""

    namespace: str
    service: str
    retry_delays_ms: tuple[int, ...]
    delivery_limit: int = 20
    # Production: quorum (replicated, delivery limit). Tests of services may use classic queues, which a
    # single shared test broker creates and drops far more cheaply; the messaging tests keep quorum.
    queue_type: str = "quorum"

    def queue_arguments(self, extra: FieldTable) -> FieldTable:
        arguments: FieldTable = {"x-queue-type": self.queue_type, **extra}
        if self.queue_type != "quorum":
            arguments.pop("x-delivery-limit", None)
        return arguments

    def events_exchange(self, producer: str) -> str:
        return f"{self.namespace}.{producer}.events"

    @property
    def unrouted(self) -> str:
        return f"{self.namespace}.unrouted"

    def queue(self, subscription: str) -> str:
        return f"{self.namespace}.{self.service}.{subscription}"

    def wait_queue(self, delay_ms: int) -> str:
        return f"{self.namespace}.{self.service}.wait.{delay_ms}ms"

    @property
    def requeue_exchange(self) -> str:
        return f"{self.namespace}.{self.service}.requeue"

    @property
    def dead_letter_exchange(self) -> str:
        return f"{self.namespace}.{self.service}.dlx"

    @property
    def parking_lot(self) -> str:
        return f"{self.namespace}.{self.service}.parking-lot"

    async def declare_events_exchange(self, channel: AbstractChannel, producer: str) -> AbstractExchange:
        """Producers and consumers both declare it, with identical arguments, whoever starts first."""
        unrouted = await channel.declare_exchange(self.unrouted, ExchangeType.FANOUT, durable=True)
        queue = await channel.declare_queue(
            self.unrouted,
            durable=True,
            arguments=self.queue_arguments({"x-message-ttl": UNROUTED_TTL_MS}),
        )
        await queue.bind(unrouted)
        return await channel.declare_exchange(
            self.events_exchange(producer),
            ExchangeType.TOPIC,
            durable=True,
            arguments={"alternate-exchange": self.unrouted},
        )

    async def declare_consumer_infrastructure(self, channel: AbstractChannel) -> AbstractQueue:
        """Requeue and dead-letter exchanges, the wait queues of each retry tier; returns the parking lot."""
        requeue = self.requeue_exchange
        await channel.declare_exchange(requeue, ExchangeType.DIRECT, durable=True)
        dlx = await channel.declare_exchange(self.dead_letter_exchange, ExchangeType.FANOUT, durable=True)
        parking = await channel.declare_queue(
            self.parking_lot,
            durable=True,
            arguments=self.queue_arguments({"x-max-length": PARKING_LOT_MAX_LENGTH}),
        )
        await parking.bind(dlx)
        for delay in self.retry_delays_ms:
            # A wait queue holds a message for its delay, then dead-letters it to the requeue exchange
            # under its original routing key: the name of the subscription queue it came from.
            wait = await channel.declare_exchange(self.wait_queue(delay), ExchangeType.FANOUT, durable=True)
            queue = await channel.declare_queue(
                self.wait_queue(delay),
                durable=True,
                arguments=self.queue_arguments({"x-message-ttl": delay, "x-dead-letter-exchange": requeue}),
            )
            await queue.bind(wait)
        return parking

    async def declare_subscription_queue(
        self,
        channel: AbstractChannel,
        subscription: str,
        bindings: dict[str, set[str]],
        retired: dict[str, set[str]] | None = None,
    ) -> AbstractQueue:
        """The subscription's quorum queue, bound to each producer exchange for the given routing keys and
        unbound from the `retired` ones (RabbitMQ takes unbinding an absent binding as done)."""
        name = self.queue(subscription)
        queue = await channel.declare_queue(
            name,
            durable=True,
            arguments=self.queue_arguments(
                {
                    "x-dead-letter-exchange": self.dead_letter_exchange,
                    "x-delivery-limit": self.delivery_limit,
                }
            ),
        )
        await queue.bind(self.requeue_exchange, routing_key=name)
        for producer, keys in sorted(bindings.items()):
            exchange = await self.declare_events_exchange(channel, producer)
            for key in sorted(keys):
                await queue.bind(exchange, routing_key=key)
        for producer, keys in sorted((retired or {}).items()):
            exchange = await self.declare_events_exchange(channel, producer)
            for key in sorted(keys):
                await queue.unbind(exchange, routing_key=key)
        return queue


def persistent_message(
    body: bytes,
    *,
    message_id: str,
    message_type: str,
    correlation_id: str | None,
    headers: dict[str, str | int] | None = None,
) -> aio_pika.Message:
    return aio_pika.Message(
        body,
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=message_id,
        type=message_type,
        correlation_id=correlation_id,
        headers=dict(headers or {}),
    )
