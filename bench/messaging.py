"""End-to-end events/s through outbox → relay → broker → consumer with inbox, next to the floors.

    python -m bench.messaging [--events 2000] [--concurrency 16]

Same run, same servers: (1) raw aio-pika confirmed publish + consume, (2) the MongoDB writes one event
needs done directly (producer txn: state + outbox; consumer txn: inbox + effect), (3) the platform
pipeline with producers, relay and consumer running together. Also MongoDB round trips per event.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import uuid
from pathlib import Path

import aio_pika
import uvloop

from bench.support import CommandCounter, Stopwatch, install_command_counter, report
from bench.toy import ToyConsumer, ToySettings, handled, record_thing, toy_settings
from deploy.local.servers import start_mongo_server
from deploy.local.vhosts import temporary_vhost
from shared.mongo import Session, connect, run_in_transaction
from shared.platform import Platform

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
BUSINESS_TRIPS_PER_EVENT = 3


async def raw_broker(amqp_url: str, events: int, concurrency: int, *, queue_type: str = "quorum") -> float:
    """Confirmed persistent publishes to a throw-away queue (quorum by default), acked consumption: msgs/s."""
    connection = await aio_pika.connect_robust(amqp_url)
    publish_channel = await connection.channel(publisher_confirms=True)
    consume_channel = await connection.channel()
    await consume_channel.set_qos(prefetch_count=concurrency * 2)
    queue = await consume_channel.declare_queue(
        f"bench-raw-{uuid.uuid4().hex[:6]}", durable=True, arguments={"x-queue-type": queue_type}
    )
    done = asyncio.Event()
    received = 0

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        nonlocal received
        await message.ack()
        received += 1
        if received == events:
            done.set()

    await queue.consume(on_message)
    body = b'{"message_id":"x","payload":{"thing_id":"raw"}}'
    clock = Stopwatch()
    semaphore = asyncio.Semaphore(concurrency)

    async def publish() -> None:
        async with semaphore:
            await publish_channel.default_exchange.publish(
                aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key=queue.name
            )

    await asyncio.gather(*(publish() for _ in range(events)))
    await done.wait()
    rate = events / clock.seconds
    await queue.delete(if_unused=False, if_empty=False)
    await connection.close()
    return rate


async def raw_mongo(mongo_url: str, events: int, concurrency: int) -> float:
    """The writes one event needs, done directly: txn(state, outbox) then txn(inbox, effect). Events/s."""
    client = connect(mongo_url, app_name="bench-raw")
    db = client[f"bench_raw_{uuid.uuid4().hex[:6]}"]
    semaphore = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with semaphore:

            async def produce(session: Session) -> None:
                await db["things"].insert_one({"_id": index}, session=session)
                await db["outbox"].insert_one({"_id": index, "sent": False}, session=session)

            async def consume(session: Session) -> None:
                await db["inbox"].insert_one({"_id": index}, session=session)
                await db["effects"].update_one(
                    {"_id": index}, {"$inc": {"n": 1}}, upsert=True, session=session
                )

            await run_in_transaction(client, produce)
            await run_in_transaction(client, consume)

    clock = Stopwatch()
    await asyncio.gather(*(one(index) for index in range(events)))
    rate = events / clock.seconds
    await client.drop_database(db.name)
    await client.close()
    return rate


async def pipeline(
    mongo_url: str, amqp_url: str, events: int, concurrency: int, counter: CommandCounter
) -> tuple[float, float, dict[str, int]]:
    """Producers commit state + event; the relay publishes; the consumer dedupes and applies."""
    namespace = f"bench{uuid.uuid4().hex[:6]}"

    def settings(service: str, db: str) -> ToySettings:
        return toy_settings(
            service=service,
            mongo_url=mongo_url,
            db=db,
            amqp_url=amqp_url,
            namespace=namespace,
            prefetch=concurrency,
        )

    toy = ToyConsumer()
    consumer = Platform(settings("toyconsumer", f"bench_c_{namespace}"))
    producer = Platform(settings("toyproducer", f"bench_p_{namespace}"))
    await consumer.start(subscriptions=toy(consumer))
    await producer.start()
    semaphore = asyncio.Semaphore(concurrency)

    async def produce(index: int) -> None:
        async with semaphore:
            await record_thing(producer, f"e-{index}")

    with counter.counting():
        clock = Stopwatch()
        await asyncio.gather(*(produce(index) for index in range(events)))
        # The consumer's own count, in this process, moves once each batch has committed: watching it
        # asks the server nothing. Counting the effects in the database had to be coarse (every 0.2 s) not
        # to load the server the pipeline shares, which overstated the time by 0.1 s on average.
        while handled(consumer, "handled") < events:
            await asyncio.sleep(0.002)
        seconds = clock.seconds
        by_command = dict(counter.by_command)
    if (applied := await toy.effects.total()) != events:
        raise RuntimeError(f"{applied} effects for {events} events")
    trips = sum(by_command.values()) / events  # the bench itself sent none while counting
    await producer.stop()
    await consumer.stop()
    client = connect(mongo_url, app_name="bench-cleanup")
    for name in (f"bench_c_{namespace}", f"bench_p_{namespace}"):
        await client.drop_database(name)
    await client.close()
    return events / seconds, trips, by_command


async def main(events: int, concurrency: int, mongo_url: str | None) -> None:
    counter = install_command_counter()
    with tempfile.TemporaryDirectory() as home, temporary_vhost(AMQP_URL) as vhost:
        server = None if mongo_url else start_mongo_server(Path(home))
        url = mongo_url or (server.url if server else "")
        try:
            broker_rate = await raw_broker(vhost.url, events, concurrency)
            mongo_rate = await raw_mongo(url, events, concurrency)
            rate, trips, by_command = await pipeline(url, vhost.url, events, concurrency, counter)
        finally:
            if server is not None:
                server.stop()
    report(
        "messaging",
        {
            "events": events,
            "concurrency": concurrency,
            "raw_broker_confirmed_publish_consume_per_s": round(broker_rate, 1),
            "raw_mongo_event_writes_per_s": round(mongo_rate, 1),
            "pipeline_events_per_s": round(rate, 1),
            "pipeline_vs_raw_mongo_writes": round(rate / mongo_rate, 2),
            "pipeline_vs_raw_broker": round(rate / broker_rate, 2),
            "mongo_round_trips_per_event_total": round(trips, 2),
            # The toy's own business writes (state insert + its commit, effect update) are not messaging.
            "mongo_round_trips_per_event_messaging": round(trips - BUSINESS_TRIPS_PER_EVENT, 2),
            "mongo_commands": by_command,
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--mongo-url", default=None, help="use this server instead of starting SecantusDB")
    args = parser.parse_args()
    # On the event loop the services run on (`shared.http.serving.serve`), every phase alike.
    uvloop.run(main(args.events, args.concurrency, args.mongo_url))
