"""Guarantees of the messaging backbone: events commit with state, and every effect happens exactly once."""

from __future__ import annotations

import asyncio

import pytest

from bench.toy import ThingHappened, ToyConsumer, all_marked_sent, handled, record_thing
from deploy.local.polling import eventually
from shared.messaging.envelope import Envelope
from shared.messaging.outbox import OUTBOX
from shared.messaging.subscription import AnyEvent, MessageContext, Subscription
from shared.messaging.topology import persistent_message
from shared.mongo import Session
from tests.integration.conftest import PlatformFactory


async def test_state_change_and_its_event_commit_together(make_platform: PlatformFactory) -> None:
    producer = await make_platform("toyproducer", relay_sweep_seconds=60)

    async def change_then_fail(session: Session) -> None:
        await producer.db["things"].insert_one({"_id": "rolled-back"}, session=session)
        await producer.record(session, ThingHappened(thing_id="rolled-back"))
        raise RuntimeError("business rule failed after both writes")

    with pytest.raises(RuntimeError):
        await producer.transaction(change_then_fail)
    await record_thing(producer, "committed")

    assert await producer.db["things"].count_documents({"_id": "rolled-back"}) == 0
    assert await producer.db[OUTBOX].count_documents({"envelope.payload.thing_id": "rolled-back"}) == 0
    assert await producer.db["things"].count_documents({"_id": "committed"}) == 1
    assert await producer.db[OUTBOX].count_documents({"envelope.payload.thing_id": "committed"}) == 1


async def test_events_a_change_emits_at_once_commit_with_it_and_each_applies_once(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    await make_platform("toyconsumer", toy)
    producer = await make_platform("toyproducer")
    things = [ThingHappened(thing_id=f"many-{index}") for index in range(3)]

    async def change_then_fail(session: Session) -> None:
        await producer.outbox.add_all(session, [ThingHappened(thing_id="rolled-back-many")] * 2)
        raise RuntimeError("business rule failed after the write")

    with pytest.raises(RuntimeError):
        await producer.transaction(change_then_fail)

    async def change(session: Session) -> None:
        await producer.db["things"].insert_one({"_id": "many"}, session=session)
        await producer.outbox.add_all(session, things)

    await producer.transaction(change)

    async def all_applied() -> bool:
        return await toy.effects.total() == 3

    await eventually(all_applied)
    assert [await toy.effects.applied(thing.thing_id) for thing in things] == [1, 1, 1]
    assert await producer.db[OUTBOX].count_documents({"envelope.payload.thing_id": "rolled-back-many"}) == 0
    rows = await producer.db[OUTBOX].find({}).sort("seq", 1).to_list()
    assert [row["envelope"]["payload"]["thing_id"] for row in rows] == [thing.thing_id for thing in things]


async def test_every_recorded_event_reaches_the_consumer_and_applies_once(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    await make_platform("toyconsumer", toy)
    producer = await make_platform("toyproducer")

    for index in range(30):
        await record_thing(producer, f"thing-{index}")

    async def all_applied() -> bool:
        return await toy.effects.total() == 30

    await eventually(all_applied)
    assert [await toy.effects.applied(f"thing-{index}") for index in range(30)] == [1] * 30
    await eventually(lambda: all_marked_sent(producer))


async def test_same_message_delivered_many_times_concurrently_has_one_effect(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    consumer = await make_platform("toyconsumer", toy, prefetch=32)
    producer = await make_platform("toyproducer")
    assert producer.publisher is not None
    envelope = Envelope.wrap(
        ThingHappened(thing_id="dup"), occurred_at=producer.clock.now(), correlation_id="c"
    )
    message_id = str(envelope.message_id)

    # Given the same message published 12 times at once (relay retries, broker redeliveries)
    await asyncio.gather(
        *(
            producer.publisher.publish(
                producer.topology.events_exchange("toyproducer"),
                envelope.routing_key,
                persistent_message(
                    envelope.model_dump_json().encode(),
                    message_id=message_id,
                    message_type=envelope.type,
                    correlation_id="c",
                ),
            )
            for _ in range(12)
        )
    )

    # Then all 12 copies are consumed and acknowledged, and the effect happened exactly once.
    async def all_consumed() -> bool:
        return handled(consumer, "handled") + handled(consumer, "duplicate") == 12

    await eventually(all_consumed)
    assert handled(consumer, "handled") == 1
    assert await toy.effects.applied("dup") == 1


async def test_a_catch_all_subscription_receives_every_event_of_a_producer_once(
    make_platform: PlatformFactory,
) -> None:
    seen: list[tuple[str, str]] = []

    async def record(context: MessageContext, event: AnyEvent) -> None:
        seen.append((context.envelope.type, str(event.model_dump()["thing_id"])))

    await make_platform(
        "toytimeline", lambda _: [Subscription("all").on_every_event_of("toyproducer", record)]
    )
    producer = await make_platform("toyproducer")

    for index in range(3):
        await record_thing(producer, f"t-{index}")

    async def all_seen() -> bool:
        return len(seen) == 3

    await eventually(all_seen)
    assert sorted(seen) == [("toyproducer.thing_happened", f"t-{index}") for index in range(3)]


async def test_a_producer_no_longer_bound_stops_reaching_the_queue_which_still_handles_what_it_held(
    make_platform: PlatformFactory,
) -> None:
    seen: list[str] = []

    async def record(context: MessageContext, event: AnyEvent) -> None:
        seen.append(str(event.model_dump()["thing_id"]))

    def timeline(*, bound: bool) -> Subscription:
        subscription = Subscription("all").on_every_event_of("toyproducer", record)
        return subscription if bound else subscription.no_longer_bound_to("toyproducer")

    producer = await make_platform("toyproducer")

    async def sent(thing_id: str) -> bool:
        return (
            await producer.db[OUTBOX].count_documents({"envelope.payload.thing_id": thing_id, "sent": True})
            == 1
        )

    # Given a queue bound to the producer's events, holding one that arrived while nobody consumed it
    first = await make_platform("toytimeline", lambda _: [timeline(bound=True)])
    await first.stop()
    await record_thing(producer, "held")
    await eventually(lambda: sent("held"))

    # When its consumer starts without that binding
    await make_platform("toytimeline", lambda _: [timeline(bound=False)])

    # Then the event the queue held is still handled, and the producer's next event goes unrouted
    async def held_handled() -> bool:
        return seen == ["held"]

    await eventually(held_handled)
    await record_thing(producer, "after")
    assert producer.connection is not None
    channel = await producer.connection.channel()
    unrouted = producer.topology.unrouted

    async def went_unrouted() -> bool:
        # Not robust: a robust channel answers a passive declaration it has seen before from its cache,
        # with the message count of that first answer.
        queue = await channel.declare_queue(unrouted, passive=True, robust=False)
        return queue.declaration_result.message_count == 1

    await eventually(went_unrouted)
    await channel.close()
    assert seen == ["held"]


async def test_rows_confirmed_in_a_burst_are_marked_sent_in_one_write(make_platform: PlatformFactory) -> None:
    toy = ToyConsumer()
    await make_platform("toyconsumer", toy)
    producer = await make_platform("toyproducer", relay_sweep_seconds=3600, relay_mark_delay_seconds=2.0)

    # Given ten events committed one after another, each published as soon as its transaction commits
    for index in range(10):
        await record_thing(producer, f"burst-{index}")

    async def all_applied() -> bool:
        return await toy.effects.total() == 10

    await eventually(all_applied)

    # Then their rows are marked sent together: one write (one instant) for the burst, not one per event
    await eventually(lambda: all_marked_sent(producer))
    marked_at = await producer.db[OUTBOX].distinct("sent_at")
    assert len(marked_at) <= 2, marked_at


async def test_a_read_of_the_outbox_never_publishes_again_a_row_confirmed_but_not_yet_marked(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    consumer = await make_platform("toyconsumer", toy)
    # Marks wait far longer than the sweeps that read the outbox meanwhile.
    producer = await make_platform("toyproducer", relay_sweep_seconds=0.05, relay_mark_delay_seconds=5.0)

    for index in range(5):
        await record_thing(producer, f"confirmed-{index}")

    async def all_applied_and_marked() -> bool:
        return await toy.effects.total() == 5 and await all_marked_sent(producer)

    await eventually(all_applied_and_marked)
    # Sweeps ran while the marks waited: each marked them first instead of publishing them again.
    assert handled(consumer, "duplicate") == 0
    assert [await toy.effects.applied(f"confirmed-{index}") for index in range(5)] == [1] * 5


async def test_the_backlog_gauge_counts_every_waiting_row_not_just_one_batch(
    make_platform: PlatformFactory,
) -> None:
    producer = await make_platform("toyproducer", relay_batch_size=5)
    assert producer.relay is not None
    # Given twelve rows committed while the relay did not run
    for task in producer.relay._tasks:
        task.cancel()
    for index in range(12):
        await record_thing(producer, f"waiting-{index}")

    # When a pass reads the outbox (it carries one batch of five)
    producer.relay.wake()
    assert await producer.relay.publish_due() == 5

    # Then the gauge the backlog alert reads says how many were waiting
    assert producer.metrics.registry.get_sample_value("tradeguard_outbox_pending") == 12
