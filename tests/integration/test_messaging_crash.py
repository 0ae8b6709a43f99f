"""A producer killed between commit and publish, or between publish and mark, loses and doubles nothing."""

from __future__ import annotations

import asyncio
import signal
import sys
import uuid

import pytest

from bench.toy import ToyConsumer, all_marked_sent, handled
from deploy.local.polling import eventually
from deploy.local.servers import MongoServer
from deploy.local.vhosts import BrokerVhost
from tests.integration.conftest import PlatformFactory
from tests.support.relay_victim import VICTIM_REPLICA


async def run_victim(mongo: MongoServer, db: str, broker: BrokerVhost, namespace: str, point: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.relay_victim",
        mongo.url,
        db,
        broker.url,
        namespace,
        point,
        "5",
    )
    assert await process.wait() == -signal.SIGKILL


@pytest.mark.parametrize("crash_point", ["after_commit", "after_publish"])
async def test_killing_the_relay_loses_nothing_and_applies_nothing_twice(
    crash_point: str,
    make_platform: PlatformFactory,
    mongo_server: MongoServer,
    broker: BrokerVhost,
    namespace: str,
) -> None:
    toy = ToyConsumer()
    consumer = await make_platform("toyconsumer", toy)
    producer_db = f"t_victim_{uuid.uuid4().hex[:8]}"

    # Given a producer process SIGKILLed right after committing (or right after the broker's confirms)
    await run_victim(mongo_server, producer_db, broker, namespace, crash_point)

    # When the producer service restarts as the same replica (its rows are its own: it publishes them at
    # once, not as orphans a sweep takes up, which this test puts out of reach)
    restarted = await make_platform(
        "toyproducer", mongo_db=producer_db, replica=VICTIM_REPLICA, relay_orphan_seconds=600
    )

    # Then every event is delivered and applied exactly once, and the outbox is drained.
    async def all_applied() -> bool:
        return await toy.effects.total() == 5

    await eventually(all_applied)
    assert [await toy.effects.applied(f"victim-{index}") for index in range(5)] == [1] * 5

    await eventually(lambda: all_marked_sent(restarted))
    if crash_point == "after_publish":
        # The first copies did reach the broker before the crash: the republished ones were skipped.
        async def duplicates_skipped() -> bool:
            return handled(consumer, "duplicate") == 5

        await eventually(duplicates_skipped)
