"""In the local stack each service talks to RabbitMQ as its own user, confined to its own queues.

A compromised or buggy catalog cannot consume escrow's queue or publish escrow's events; escrow itself can.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import aio_pika
import aiormq
import pytest
from aio_pika.abc import AbstractConnection, AbstractIncomingMessage

from deploy.local import broker_users
from deploy.local.stack import SERVICES, LocalStack
from deploy.local.vhosts import BrokerVhost
from shared.messaging.topology import Topology

pytestmark = pytest.mark.skipif(
    not broker_users.owns_broker_users("amqp://127.0.0.1/"), reason="needs a local broker and rabbitmqctl"
)


@pytest.fixture
async def service_endpoints(
    broker: BrokerVhost, tmp_path: Path
) -> AsyncIterator[tuple[Topology, dict[str, str]]]:
    """The stack's own code path: a user per service in a fresh namespace, deleted afterwards."""
    namespace = f"sec{uuid.uuid4().hex[:8]}"
    urls = await broker_users.provision(broker.url, namespace, SERVICES, home=tmp_path, sandbox=True)
    try:
        yield Topology(namespace=namespace, service="escrow", retry_delays_ms=(), queue_type="classic"), urls
    finally:
        await broker_users.remove(broker_users.users_of(urls))


async def test_each_stack_service_connects_to_the_broker_as_its_own_user(stack: LocalStack) -> None:
    users = broker_users.users_of(stack.amqp_urls)
    assert sorted(users) == sorted(broker_users.user_name(stack.namespace, service) for service in SERVICES)
    connected = await broker_users.connected_users(broker_users.vhost_of(stack.amqp_url))
    assert set(users) <= connected


async def test_catalog_cannot_consume_or_forge_escrow_messages_while_escrow_can(
    service_endpoints: tuple[Topology, dict[str, str]],
) -> None:
    topology, urls = service_endpoints
    queue_name = topology.queue("logistics-events")

    # Given escrow's subscription queue, declared by escrow's own user as the service does
    async with await aio_pika.connect(urls["escrow"]) as escrow:
        channel = await escrow.channel()
        await topology.declare_consumer_infrastructure(channel)
        await topology.declare_subscription_queue(channel, "logistics-events", {"logistics": {"#"}})

        # When catalog's user tries to consume it, or to publish as escrow, the broker refuses
        async with await aio_pika.connect(urls["catalog"]) as catalog:
            with pytest.raises(aiormq.exceptions.ChannelAccessRefused):
                await consume_once(catalog, queue_name)
            with pytest.raises(aiormq.exceptions.ChannelAccessRefused):
                await publish(catalog, topology.events_exchange("escrow"), "escrow.order_funded.v1")

        # While escrow consumes its own queue
        await consume_once(escrow, queue_name)


async def consume_once(connection: AbstractConnection, queue_name: str) -> None:
    """Start and cancel a consumer on an existing queue (basic.consume needs read on the queue)."""
    channel = await connection.channel()
    queue = await channel.get_queue(queue_name, ensure=False)
    tag = await queue.consume(ignore)
    await queue.cancel(tag)


async def publish(connection: AbstractConnection, exchange_name: str, routing_key: str) -> None:
    channel = await connection.channel(publisher_confirms=True)
    exchange = await channel.get_exchange(exchange_name, ensure=False)
    await exchange.publish(aio_pika.Message(b"{}", message_id=str(uuid.uuid4())), routing_key=routing_key)


async def ignore(message: AbstractIncomingMessage) -> None:
    """Nothing is published to the queue; the test is whether the broker lets the consumer start."""
