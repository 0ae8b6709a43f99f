"""Poison messages are retried through the wait tiers, then parked; good messages keep flowing; a message a
rule rejected is parked at once."""

from __future__ import annotations

import aio_pika
from pymongo import AsyncMongoClient

from bench.toy import ThingHappened, ToyConsumer, record_thing
from deploy.local.polling import eventually
from shared.messaging.envelope import Envelope
from shared.messaging.inbox import INBOX
from shared.messaging.publisher import PublishFailed
from shared.messaging.topology import persistent_message
from shared.mongo import Document, Session
from shared.parking.lot import PARKED
from shared.parking.record import ParkedMessage
from shared.platform import Platform
from tests.integration.conftest import PlatformFactory


async def parked_messages(platform: Platform) -> list[ParkedMessage]:
    """What the service's parking-lot keeper has recorded."""
    documents = await platform.db[PARKED].find().to_list()
    return [ParkedMessage.of_document(document) for document in documents]


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
    async def all_parked() -> bool:
        return len(await parked_messages(consumer)) >= 3

    await eventually(all_parked)
    parked = await parked_messages(consumer)
    assert len(parked) == 3
    assert {message.attempts for message in parked} == {3}
    assert {message.queue for message in parked} == {consumer.topology.queue("things")}
    assert {message.routing_key for message in parked} == {key}
    assert not any(message.rejected for message in parked)
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

    # And the refused one is parked after its one attempt, without going through the wait tiers,
    # with the rule's reason
    async def refused_parked() -> bool:
        return len(await parked_messages(consumer)) >= 1

    await eventually(refused_parked)
    parked = await parked_messages(consumer)
    assert [message.attempts for message in parked] == [1]
    assert parked[0].queue == consumer.topology.queue("things")
    assert parked[0].rejected
    assert parked[0].error == "rejected: a rule refuses refused"
    # Within that one delivery the handler may have run twice: in a batch, then alone to find the culprit.
    assert toy.effects.attempts["refused"] in (1, 2)
    assert await toy.effects.applied("refused") == 0


async def test_the_first_message_parked_after_a_start_raises_counts_that_stood_at_zero(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    consumer = await make_platform("toyconsumer", toy)
    producer = await make_platform("toyproducer")
    registry, queue = consumer.metrics.registry, consumer.topology.queue("things")

    def parked_total() -> float | None:
        return registry.get_sample_value("tradeguard_messages_parked_total", {"subscription": "things"})

    def waiting() -> float | None:
        return registry.get_sample_value("tradeguard_parked_messages", {"queue": queue})

    # Given a consumer that has just started: what the alerts read is there, at 0 (so the first parked
    # message is an increase, not the birth of a series that increase() cannot see)
    assert (parked_total(), waiting()) == (0.0, 0.0)

    # When a rule refuses a message
    await record_thing(producer, "refused", refuse=True)

    # Then the counter and the queue's gauge count it
    async def counted() -> bool:
        return waiting() == 1.0

    await eventually(counted)
    assert parked_total() == 1.0


async def test_a_message_that_finds_the_database_gone_waits_for_it_without_spending_tiers_or_parking(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    consumer = await make_platform("toyconsumer", toy, retry_delays_ms=[50, 100])
    producer = await make_platform("toyproducer")
    # More outages than the tiers allow failures: through the tiers, it would be parked.
    toy.effects.database_outages["outage"] = 3

    await record_thing(producer, "outage")

    async def applied() -> bool:
        return await toy.effects.applied("outage") == 1

    await eventually(applied)
    assert toy.effects.attempts["outage"] == 4
    assert await parked_messages(consumer) == []


async def test_a_message_whose_document_a_dead_process_still_holds_steps_aside_and_the_queue_goes_on(
    make_platform: PlatformFactory, mongo_client: AsyncMongoClient[Document]
) -> None:
    toy = ToyConsumer()
    consumer = await make_platform(
        "toyconsumer", toy, retry_delays_ms=[200, 400, 800, 1600], message_conflict_budget_seconds=0.5
    )
    producer = await make_platform("toyproducer")

    # Given a transaction left open on the thing's effect document, as by a process killed inside it: the
    # database keeps its write until the transaction's lifetime runs out
    database = mongo_client[consumer.settings.mongo_db]
    effects = await database.create_collection(toy.effects.collection.name)  # as a service's collections are
    orphan = mongo_client.start_session()
    await orphan.start_transaction()
    await effects.update_one({"_id": "held"}, {"$inc": {"applied": 0}}, upsert=True, session=orphan)

    # When its event arrives first, with others behind it
    await record_thing(producer, "held")
    await then_the_others_pass_it_and_it_applies_once_the_orphan_is_gone(producer, consumer, toy, orphan)


async def test_a_redelivery_whose_first_delivery_a_dead_process_was_applying_steps_aside_at_once(
    make_platform: PlatformFactory, mongo_client: AsyncMongoClient[Document]
) -> None:
    toy = ToyConsumer()
    # A conflict budget far longer than the test: only the inbox claim's conflict can move it aside.
    consumer = await make_platform(
        "toyconsumer", toy, retry_delays_ms=[200, 400, 800, 1600], message_conflict_budget_seconds=60
    )
    producer = await make_platform("toyproducer")
    held = Envelope.wrap(ThingHappened(thing_id="held"), occurred_at=producer.clock.now(), correlation_id="c")

    # Given the message's inbox claim written by a transaction still open, as by a consumer killed while
    # applying its first delivery (the broker then delivers it again)
    database = mongo_client[consumer.settings.mongo_db]
    orphan = mongo_client.start_session()
    await orphan.start_transaction()
    claim = {"_id": f"things:{held.message_id}", "received_at": producer.clock.now()}
    await database[INBOX].insert_one(claim, session=orphan)

    # When it is delivered again, with others behind it
    await publish_raw(producer, held.model_dump_json().encode(), ThingHappened.routing_key())
    await then_the_others_pass_it_and_it_applies_once_the_orphan_is_gone(producer, consumer, toy, orphan)


async def then_the_others_pass_it_and_it_applies_once_the_orphan_is_gone(
    producer: Platform, consumer: Platform, toy: ToyConsumer, orphan: Session
) -> None:
    """Five events behind the held one are applied while it waits in a retry tier instead of holding the
    queue; once the orphan transaction is aborted (as the database does at the end of its lifetime), the
    held one is applied, once, and nothing is parked."""
    for index in range(5):
        await record_thing(producer, f"behind-{index}")

    async def others_applied() -> bool:
        return all([await toy.effects.applied(f"behind-{index}") == 1 for index in range(5)])

    await eventually(others_applied, timeout=10)
    assert await toy.effects.applied("held") == 0

    await orphan.abort_transaction()
    await orphan.end_session()

    async def held_applied() -> bool:
        return await toy.effects.applied("held") == 1

    await eventually(held_applied, timeout=10)
    assert await parked_messages(consumer) == []


async def test_a_message_whose_retry_copy_the_broker_did_not_take_goes_back_to_its_queue(
    make_platform: PlatformFactory,
) -> None:
    toy = ToyConsumer()
    # One message in flight at a time: one left unsettled would stop every delivery after it.
    consumer = await make_platform("toyconsumer", toy, retry_delays_ms=[50, 100], prefetch=1)
    producer = await make_platform("toyproducer")
    toy.effects.transient_failures["flaky"] = 1

    # Given a broker that does not confirm the first retry copy (it is restarting, say)
    assert consumer.publisher is not None
    publish = consumer.publisher.publish
    refused: list[str] = []

    async def first_copy_refused(exchange: str, routing_key: str, message: aio_pika.Message) -> None:
        if not refused:
            refused.append(routing_key)
            raise PublishFailed(f"{exchange}/{routing_key}: connection lost before the confirm")
        await publish(exchange, routing_key, message)

    consumer.publisher.publish = first_copy_refused  # type: ignore[method-assign]

    # When a message fails once, and another comes after it
    await record_thing(producer, "flaky")
    await record_thing(producer, "after")

    # Then the failed one went back to its queue, was applied on its next delivery, and the next one flowed
    async def both_applied() -> bool:
        return await toy.effects.applied("flaky") == 1 and await toy.effects.applied("after") == 1

    await eventually(both_applied, timeout=10)
    assert refused == [consumer.topology.queue("things")]
    assert await parked_messages(consumer) == []
