"""What wakes the outbox relay: its own process's commits at once, other processes' rows by change stream.

Every producer here sweeps once an hour, so an event that arrives was carried by the wake-up under test.
"""

from __future__ import annotations

import pytest

from bench.toy import ThingHappened, ToyConsumer, all_marked_sent, record_thing
from deploy.local.polling import eventually
from shared.messaging.outbox import Outbox
from shared.mongo import Session, run_in_transaction
from tests.integration.conftest import PlatformFactory

NO_SWEEP = 3600


async def test_an_event_leaves_once_its_transaction_commits_without_sweep_or_change_stream(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    await make_platform("toyconsumer", toy)
    producer = await make_platform("toyproducer", relay_sweep_seconds=NO_SWEEP)

    # The relay's change stream leaves out the rows of its own process: only the in-process hand-over
    # after the commit can carry these.
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


async def test_a_row_another_process_committed_wakes_the_relay_through_its_change_stream(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    await make_platform("toyconsumer", toy)
    producer = await make_platform("toyproducer", relay_sweep_seconds=NO_SWEEP)
    await record_thing(producer, "own")  # its relay running, change stream open

    async def own_applied() -> bool:
        return await toy.effects.applied("own") == 1

    await eventually(own_applied)

    # Given a row written through another outbox (another replica's): nothing hands it to this relay
    other_replica = Outbox(producer.db, producer.topology, producer.clock)

    async def record_elsewhere(session: Session) -> None:
        await other_replica.add(session, ThingHappened(thing_id="from-another-replica"))

    await run_in_transaction(producer.client, record_elsewhere)

    # Then the change stream wakes the relay, which reads and publishes it.
    async def foreign_applied() -> bool:
        return await toy.effects.applied("from-another-replica") == 1

    await eventually(foreign_applied)
