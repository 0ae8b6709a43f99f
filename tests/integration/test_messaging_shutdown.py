"""Graceful shutdown: stop consuming, finish in-flight handlers (commit and ack), then close."""

from __future__ import annotations

import asyncio

from pymongo import AsyncMongoClient

from bench.toy import ToyConsumer, record_thing
from deploy.local.polling import eventually
from shared.mongo import Document
from tests.integration.conftest import PlatformFactory


async def test_graceful_shutdown_finishes_in_flight_handlers_before_closing(
    make_platform: PlatformFactory, mongo_client: AsyncMongoClient[Document]
) -> None:
    toy = ToyConsumer()
    consumer = await make_platform("toyconsumer", toy)
    producer = await make_platform("toyproducer")
    toy.effects.gate = asyncio.Event()

    # Given a handler in the middle of its work
    await record_thing(producer, "in-flight")
    await asyncio.wait_for(toy.effects.entered.wait(), timeout=20)

    # When the service is asked to stop
    stopping = asyncio.create_task(consumer.stop())
    await asyncio.sleep(0.2)  # give stop() the chance to (wrongly) close under the handler
    assert not stopping.done(), "shutdown must wait for the in-flight handler"
    toy.effects.gate.set()
    await asyncio.wait_for(stopping, timeout=20)

    # Then the handler's effect committed, and its message was acked: nothing is left to redeliver.
    effects = mongo_client[consumer.settings.mongo_db]["effects"]
    assert await effects.find_one({"_id": "in-flight"}) == {"_id": "in-flight", "applied": 1}
    assert consumer.connection is not None
    assert consumer.connection.is_closed
    channel = await producer.connection.channel()  # type: ignore[union-attr]
    name = consumer.topology.queue("things")

    async def queue_empty() -> bool:
        # Not robust: a robust channel answers a passive declaration it has seen from its cache.
        queue = await channel.declare_queue(name, passive=True, robust=False)
        return queue.declaration_result.message_count == 0

    await eventually(queue_empty)
    await channel.close()
