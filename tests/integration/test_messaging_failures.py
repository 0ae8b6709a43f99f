"""Poison messages are retried through the wait tiers, then parked; good messages keep flowing; a message a
rule rejected is parked at once."""

from __future__ import annotations

import aio_pika

from bench.toy import ThingHappened, ToyConsumer, record_thing
from deploy.local.polling import eventually
from shared.messaging.consumer import ATTEMPT_HEADER, ORIGIN_HEADER
from shared.messaging.envelope import Envelope
from shared.messaging.topology import persistent_message
from shared.platform import Platform
from tests.integration.conftest import PlatformFactory


async def parked_messages(platform: Platform) -> list[aio_pika.abc.AbstractIncomingMessage]:
    assert platform.connection is not None
    channel = await platform.connection.channel()
    queue = await channel.get_queue(platform.topology.parking_lot, ensure=False)
    messages = []
    while (message := await queue.get(fail=False, no_ack=True)) is not None:
        messages.append(message)
    await channel.close()
    return messages


async def publish_raw(producer: Platform, body: bytes, routing_key: str) -> None:
    assert producer.publisher is not None
    await producer.publisher.publish(
        producer.topology.events_exchange("toyproducer"),
        routing_key,
        persistent_message(body, message_id="raw", message_type="raw", correlation_id=None),
    )


async def test_poison_messages_go_through_retry_tiers_to_the_parking_lot_while_good_ones_flow(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    consumer = await make_platform("toyconsumer", toy, retry_delays_ms=[50, 100])
    producer = await make_platform("toyproducer")
    key = ThingHappened.routing_key()
    schema_failure = Envelope.wrap(
        ThingHappened(thing_id="x"), occurred_at=producer.clock.now(), correlation_id="c"
    ).model_copy(update={"payload": {"no_thing_id": True}})

    # Given three kinds of poison among good messages
    await publish_raw(producer, b"{not json", key)
    await publish_raw(producer, schema_failure.model_dump_json().encode(), key)
    await record_thing(producer, "always-raises", explode=True)
    for index in range(10):
        await record_thing(producer, f"good-{index}")

    # Then every good message is applied once
    async def good_applied() -> bool:
        return await toy.effects.total() == 10

    await eventually(good_applied)

    # And each poison message was tried once per tier plus the first time, then parked with its story.
    parked: list[aio_pika.abc.AbstractIncomingMessage] = []

    async def all_parked() -> bool:
        parked.extend(await parked_messages(consumer))
        return len(parked) >= 3

    await eventually(all_parked)
    assert len(parked) == 3
    assert {message.headers[ATTEMPT_HEADER] for message in parked} == {3}
    assert {message.headers[ORIGIN_HEADER] for message in parked} == {consumer.topology.queue("things")}
    assert await toy.effects.applied("always-raises") == 0
    assert b"{not json" in {message.body for message in parked}


async def test_a_handler_that_fails_transiently_succeeds_on_a_retry_tier(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    consumer = await make_platform("toyconsumer", toy, retry_delays_ms=[50, 100])
    producer = await make_platform("toyproducer")
    toy.effects.transient_failures["flaky"] = 1

    await record_thing(producer, "flaky")

    async def applied() -> bool:
        return await toy.effects.applied("flaky") == 1

    await eventually(applied)
    assert toy.effects.attempts["flaky"] == 2
    assert await parked_messages(consumer) == []


async def test_a_rejected_message_is_parked_after_one_attempt_while_a_transient_failure_is_retried(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    consumer = await make_platform("toyconsumer", toy, retry_delays_ms=[50, 100])
    producer = await make_platform("toyproducer")
    toy.effects.transient_failures["flaky"] = 1

    # Given a message a rule refuses and one whose first attempt meets a passing failure
    await record_thing(producer, "refused", refuse=True)
    await record_thing(producer, "flaky")

    # Then the passing failure is retried and applied
    async def applied() -> bool:
        return await toy.effects.applied("flaky") == 1

    await eventually(applied)
    assert toy.effects.attempts["flaky"] == 2

    # And the refused one is parked after its one attempt, without going through the wait tiers
    parked: list[aio_pika.abc.AbstractIncomingMessage] = []

    async def refused_parked() -> bool:
        parked.extend(await parked_messages(consumer))
        return len(parked) >= 1

    await eventually(refused_parked)
    assert [message.headers[ATTEMPT_HEADER] for message in parked] == [1]
    assert parked[0].headers[ORIGIN_HEADER] == consumer.topology.queue("things")
    assert toy.effects.attempts["refused"] == 1
    assert await toy.effects.applied("refused") == 0
