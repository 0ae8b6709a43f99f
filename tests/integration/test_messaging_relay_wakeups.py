"""What wakes the outbox relay: each process's commits, at once, in that process.

Every producer here sweeps once an hour, so an event that arrives was carried by the wake-up under test.
"""

from __future__ import annotations

import uuid

import pytest

from bench.toy import ThingHappened, ToyConsumer, all_marked_sent, record_thing
from deploy.local.polling import eventually
from shared.mongo import Session
from tests.integration.conftest import PlatformFactory

NO_SWEEP = 3600


async def test_an_event_leaves_once_its_transaction_commits_without_sweep_or_change_stream(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    await make_platform("toyconsumer", toy)
    producer = await make_platform("toyproducer", relay_sweep_seconds=NO_SWEEP)

    # With no sweep within the test, only the in-process hand-over after the commit can carry these.
    for index in range(5):
        await record_thing(producer, f"handed-{index}")

    async def all_applied() -> bool:
        return await toy.effects.total() == 5

    await eventually(all_applied)
    await eventually(lambda: all_marked_sent(producer))


async def test_an_event_whose_transaction_rolls_back_is_never_handed_to_the_relay(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    await make_platform("toyconsumer", toy)
    producer = await make_platform("toyproducer", relay_sweep_seconds=NO_SWEEP)

    async def record_then_fail(session: Session) -> None:
        await producer.record(session, ThingHappened(thing_id="rolled-back"))
        raise RuntimeError("a rule failed after the event was recorded")

    with pytest.raises(RuntimeError):
        await producer.transaction(record_then_fail)
    await record_thing(producer, "committed-after")

    # Rows are handed over in commit order: once the later event applied, the earlier one had its chance.
    async def later_applied() -> bool:
        return await toy.effects.applied("committed-after") == 1

    await eventually(later_applied)
    assert await toy.effects.applied("rolled-back") == 0


async def test_a_replica_that_does_not_hold_the_lease_publishes_the_rows_it_commits_at_once(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    await make_platform("toyconsumer", toy)
    database = f"t_toyproducer_{uuid.uuid4().hex[:8]}"
    # Given two replicas on one outbox, neither sweeping nor renewing its lease within the test
    quiet = {"relay_sweep_seconds": NO_SWEEP, "relay_lease_seconds": NO_SWEEP, "relay_orphan_seconds": 600}
    first = await make_platform("toyproducer", mongo_db=database, replica="toyproducer-1", **quiet)
    await record_thing(first, "first")  # its relay has run a pass, and read the outbox: it holds the lease

    async def first_applied() -> bool:
        return await toy.effects.applied("first") == 1

    await eventually(first_applied)
    second = await make_platform("toyproducer", mongo_db=database, replica="toyproducer-2", **quiet)

    # When the replica without the lease commits an event
    await record_thing(second, "second")

    # Then that replica publishes it itself: no other process or sweep had to carry it
    async def second_applied() -> bool:
        return await toy.effects.applied("second") == 1

    await eventually(second_applied)
    assert first.metrics.registry.get_sample_value("tradeguard_outbox_relay_lease_held") == 1
    assert second.metrics.registry.get_sample_value("tradeguard_outbox_relay_lease_held") == 0
