"""Watch the stack's integration events as they leave the relays, to time event hops without polling.

One exclusive, auto-deleted queue bound to every event of the given producers' exchanges; each arrival is
kept by (event type, order id) with the time it was seen, and a journey awaits the ones it needs.
"""

from __future__ import annotations

import asyncio
import json
import time

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection

from shared.messaging.topology import Topology


class EventTap:
    def __init__(self, amqp_url: str, namespace: str, producers: tuple[str, ...]) -> None:
        self.amqp_url = amqp_url
        # Same exchange arguments as the services declare (classic queues, as the bench's stack uses).
        self.topology = Topology(
            namespace=namespace, service="bench", retry_delays_ms=(), queue_type="classic"
        )
        self.producers = producers
        self.connection: AbstractRobustConnection | None = None
        self._seen: dict[tuple[str, str], asyncio.Future[tuple[float, dict[str, object]]]] = {}

    async def start(self) -> None:
        self.connection = await aio_pika.connect_robust(self.amqp_url)
        channel = await self.connection.channel()
        await channel.set_qos(prefetch_count=256)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        for producer in self.producers:
            exchange = await self.topology.declare_events_exchange(channel, producer)
            await queue.bind(exchange, routing_key="#")
        await queue.consume(self._arrived, no_ack=True)

    async def _arrived(self, message: AbstractIncomingMessage) -> None:
        at = time.perf_counter()
        envelope = json.loads(message.body)
        order_id = envelope.get("payload", {}).get("order_id")
        if isinstance(order_id, str):
            seen = self._future(envelope["type"], order_id)
            if not seen.done():
                seen.set_result((at, envelope["payload"]))

    def _future(self, event_type: str, order_id: str) -> asyncio.Future[tuple[float, dict[str, object]]]:
        key = (event_type, order_id)
        if key not in self._seen:
            self._seen[key] = asyncio.get_running_loop().create_future()
        return self._seen[key]

    async def seen(
        self, event_type: str, order_id: str, *, timeout: float = 30.0
    ) -> tuple[float, dict[str, object]]:
        """When (perf_counter) the event about this order was first seen, and its payload."""
        async with asyncio.timeout(timeout):
            return await asyncio.shield(self._future(event_type, order_id))

    def forget(self, order_id: str) -> None:
        for key in [key for key in self._seen if key[1] == order_id]:
            del self._seen[key]

    async def stop(self) -> None:
        if self.connection is not None:
            await self.connection.close()
