"""Several replicas of one service on one database and one broker namespace: consumers compete and apply
each event once, each relay publishes the outbox rows its replica committed and the one holding the lease
sweeps up the rows of a dead one,
a sandbox clock advance moves every replica, and a service's timer fires each due document once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from bench.toy import ToyConsumer, all_marked_sent, handled, record_thing
from deploy.local.polling import eventually
from services.logistics.app import build_app
from services.logistics.settings import LogisticsSettings
from shared.contracts.logistics import DispatchDeadlineMissed
from shared.platform import Platform
from tests.integration.conftest import PlatformFactory
from tests.integration.logistics.scenario import funded
from tests.support.services import EventInjector, RunningService, StartService


async def start_replicas(start_service: StartService) -> list[RunningService]:
    """Two sandbox replicas of logistics on one database (its SLA monitor is a timer)."""
    database = f"t_logistics_{uuid.uuid4().hex[:8]}"
    return [
        await start_service(
            build_app, LogisticsSettings, sandbox=True, mongo_db=database, replica=f"logistics-{n}"
        )
        for n in (1, 2)
    ]


def published(platform: Platform) -> float:
    return platform.metrics.registry.get_sample_value("tradeguard_outbox_published_total") or 0


def holds_relay_lease(platform: Platform) -> float:
    return platform.metrics.registry.get_sample_value("tradeguard_outbox_relay_lease_held") or 0


async def test_consumer_replicas_compete_and_apply_each_event_once_between_them(
    make_platform: PlatformFactory,
) -> None:
    database = f"t_toyconsumer_{uuid.uuid4().hex[:8]}"
    first, second = ToyConsumer(), ToyConsumer()
    replicas = [
        await make_platform("toyconsumer", first, mongo_db=database, replica="toyconsumer-1"),
        await make_platform("toyconsumer", second, mongo_db=database, replica="toyconsumer-2"),
    ]
    producer = await make_platform("toyproducer")

    # When 40 events are recorded while both replicas consume the service's queue
    for index in range(40):
        await record_thing(producer, f"thing-{index}")

    # Then each applied exactly once in total, and both replicas took a share
    async def all_applied() -> bool:
        return await first.effects.total() == 40

    await eventually(all_applied)
    assert [await first.effects.applied(f"thing-{index}") for index in range(40)] == [1] * 40
    shares = [handled(replica, "handled") for replica in replicas]
    assert sum(shares) == 40
    assert all(share > 0 for share in shares), shares


async def test_each_relay_replica_publishes_the_rows_it_committed_and_every_row_once(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    consumer = await make_platform("toyconsumer", toy)
    database = f"t_toyproducer_{uuid.uuid4().hex[:8]}"
    replicas = [
        await make_platform("toyproducer", mongo_db=database, replica="toyproducer-1"),
        await make_platform("toyproducer", mongo_db=database, replica="toyproducer-2"),
    ]

    # When both replicas record events (each row lands in the one outbox both relays read)
    for index in range(30):
        await record_thing(replicas[index % 2], f"thing-{index}")

    async def drained() -> bool:
        return await toy.effects.total() == 30 and await all_marked_sent(replicas[0])

    await eventually(drained)

    # Then each replica published the rows it committed, one holds the lease to sweep for rows a writer
    # left, and the consumer never saw a second copy
    assert [published(replica) for replica in replicas] == [15, 15]
    assert sorted(holds_relay_lease(replica) for replica in replicas) == [0, 1]
    assert handled(consumer, "duplicate") == 0


async def test_rows_a_dead_replica_left_unsent_are_published_once_by_the_replica_that_sweeps(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    await make_platform("toyconsumer", toy)
    database = f"t_toyproducer_{uuid.uuid4().hex[:8]}"
    # A short lease, a short orphan age and frequent sweeps, so that waiting them out is quick (the
    # lease's own rules are in test_lease.py)
    quick = {"relay_lease_seconds": 1, "relay_orphan_seconds": 1, "relay_sweep_seconds": 0.2}
    replicas = [
        await make_platform("toyproducer", mongo_db=database, replica=f"toyproducer-{n}", **quick)
        for n in (1, 2)
    ]
    await record_thing(replicas[0], "before")

    async def first_applied() -> bool:
        return await toy.effects.total() == 1

    await eventually(first_applied)
    holder, other = sorted(replicas, key=holds_relay_lease, reverse=True)
    assert holds_relay_lease(holder) == 1
    # (A row the holder confirmed but had not marked yet when it died would be published again: at least
    # once. This test is about the rows it never published.)
    await eventually(lambda: all_marked_sent(holder))

    # Given the lease holder's relay dies without releasing its lease (as with SIGKILL: no flush), and
    # rows its process committed just before never leave it
    assert holder.relay is not None
    for task in holder.relay._tasks:
        task.cancel()
    for index in range(5):
        await record_thing(holder, f"left-{index}")

    # When the other replica commits an event of its own meanwhile
    await record_thing(other, "own")

    # Then its own event leaves without waiting for the lease, and once the lease and the rows' orphan age
    # have run out, it sweeps the dead replica's rows and publishes each once
    async def all_applied() -> bool:
        return await toy.effects.total() == 7

    await eventually(all_applied)
    assert holds_relay_lease(other) == 1
    assert published(other) == 6
    assert [await toy.effects.applied(f"left-{index}") for index in range(5)] == [1] * 5


async def test_a_sandbox_clock_advance_moves_every_replica_whichever_consumed_it(
    start_service: StartService,
) -> None:
    replicas = await start_replicas(start_service)

    # Two advances: the replicas compete for the announcements, so each replica consumes at most one of
    # them and must follow the other from the stored offset
    for day in (1, 2):
        moved = await replicas[0].call("POST", "/sandbox/clock/advance", json={"seconds": 86_400})
        assert moved.status == 202
        target = (await moved.json())["offset_seconds"]
        assert target == day * 86_400

        async def every_replica_moved(target: float = target) -> bool:
            offsets = [
                (await (await replica.call("GET", "/sandbox/clock")).json())["offset_seconds"]
                for replica in replicas
            ]
            return offsets == [target, target]

        await eventually(every_replica_moved)


async def test_the_sla_monitor_of_two_replicas_reports_each_missed_dispatch_once(
    start_service: StartService, inject: EventInjector
) -> None:
    replicas = await start_replicas(start_service)
    shipments = replicas[0].platform.db["shipments"]
    orders = [f"order-{index}" for index in range(6)]
    for order_id in orders:
        await inject.publish(funded(order_id, at=datetime.now(UTC)))

    async def all_opened() -> bool:
        return await shipments.count_documents({}) == len(orders)

    await eventually(all_opened)

    # When the sandbox clock passes every dispatch deadline (72 h) while both replicas sweep
    moved = await replicas[1].call("POST", "/sandbox/clock/advance", json={"seconds": 4 * 86_400})
    assert moved.status == 202

    # Then each shipment's breach is reported exactly once between the two replicas
    async def all_reported() -> bool:
        return len(await replicas[0].published(DispatchDeadlineMissed.TYPE)) >= len(orders)

    await eventually(all_reported)
    reported = await replicas[0].published(DispatchDeadlineMissed.TYPE)
    assert sorted(event["order_id"] for event in reported) == orders
