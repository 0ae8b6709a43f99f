"""Consumers and the relay survive the broker dropping connections and restarting mid-stream."""

from __future__ import annotations

import asyncio
import shutil

import pytest

from bench.toy import ToyConsumer, all_marked_sent, record_thing
from deploy.local.polling import eventually
from deploy.local.rabbitmqctl import rabbitmqctl
from tests.integration.conftest import PlatformFactory

RESTART_TIMEOUT = 90.0  # a loaded node takes a while to stop and start

pytestmark = [
    pytest.mark.broker_restart,
    pytest.mark.skipif(shutil.which("rabbitmqctl") is None, reason="needs a local broker to restart"),
]


async def test_consumers_resume_after_connections_close_and_broker_restarts_processing_each_once(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    consumer = await make_platform("toyconsumer", toy)
    producer = await make_platform("toyproducer", relay_sweep_seconds=0.5)
    total = 60

    async def produce() -> None:
        for index in range(total):
            await record_thing(producer, f"stream-{index}")
            await asyncio.sleep(0.02)  # pacing, so the faults land mid-stream

    async def applied_at_least(count: int) -> bool:
        return await toy.effects.total() >= count

    # Given a stream of events in flight
    stream = asyncio.create_task(produce())
    await eventually(lambda: applied_at_least(10))

    # When the broker drops every connection, and later restarts its application
    await rabbitmqctl("close_all_connections", "fault injected by test")
    await eventually(lambda: applied_at_least(25), timeout=60)
    await rabbitmqctl("stop_app", timeout=RESTART_TIMEOUT)
    await rabbitmqctl("start_app", timeout=RESTART_TIMEOUT)
    await rabbitmqctl("await_startup", timeout=RESTART_TIMEOUT)
    await stream

    # Then every event is applied exactly once, and both sides are healthy again.
    await eventually(lambda: applied_at_least(total), timeout=90)
    assert [await toy.effects.applied(f"stream-{index}") for index in range(total)] == [1] * total
    await eventually(lambda: all_marked_sent(producer))

    async def consuming_again() -> bool:
        return await consumer.consumers_ready() and await producer.broker_ready()

    await eventually(consuming_again, timeout=30)
