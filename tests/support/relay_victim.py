"""A producer process that dies by SIGKILL at a chosen point of the outbox path (used by the crash tests).

    python -m tests.support.relay_victim <mongo_url> <db> <amqp_url> <namespace> <crash_point> <count>

crash_point `after_commit`: commit state + events, then die before any publish.
crash_point `after_publish`: commit, let the relay publish and get confirms, die before marking rows sent.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from bench.toy import record_thing, toy_settings
from shared.platform import Platform

VICTIM_REPLICA = "toyproducer-1"


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def main(mongo_url: str, db: str, amqp_url: str, namespace: str, crash_point: str, count: int) -> None:
    settings = toy_settings(
        service="toyproducer",
        mongo_url=mongo_url,
        db=db,
        amqp_url=amqp_url,
        namespace=namespace,
        relay_sweep_seconds=3600,
        # The replica the crash tests restart: under its name it takes its relay lease back at once.
        replica=VICTIM_REPLICA,
    )
    platform = Platform(settings)
    await platform.start()
    assert platform.relay is not None
    # The relay must not run on its own: the crash point decides how far it gets.
    for task in platform.relay._tasks:
        task.cancel()
    for index in range(count):
        await record_thing(platform, f"victim-{index}")
    if crash_point == "after_commit":
        die()

    # Published and confirmed: their marks wait to be written together (`_Marks`), which never happens.
    await platform.relay.publish_due()
    die()


if __name__ == "__main__":
    mongo, database, amqp, ns, point, n = sys.argv[1:7]
    asyncio.run(main(mongo, database, amqp, ns, point, int(n)))
