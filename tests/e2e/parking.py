"""A garbled message parked on one of escrow's queues: what the operators' tests of the parking lot start
from, whether they work it in the browser or from the command line."""

from __future__ import annotations

from typing import Any

import aio_pika

from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from deploy.local.stack import LocalStack
from shared.messaging.topology import persistent_message

PARKED = "/v1/ops/parked-messages"


def escrow_queue(stack: LocalStack) -> str:
    """An escrow queue the tests may garble: the sandbox clock's (nothing else waits on it)."""
    return f"{stack.namespace}.escrow.sandbox-clock"


async def parked_on(client: PlatformClient, operator: str, queue: str) -> list[dict[str, Any]]:
    """The parked messages of `queue`, as escrow's parking-lot API lists them."""
    page = await client.call("escrow", "GET", PARKED, token=operator, params={"queue": queue})
    return list(page["items"])


async def park_garbled(
    stack: LocalStack, client: PlatformClient, operator: str, body: bytes, message_id: str
) -> dict[str, Any]:
    """Publish `body` (no valid envelope) to escrow's queue; the parked message once its retries are spent."""
    queue = escrow_queue(stack)
    connection = await aio_pika.connect(stack.amqp_url)
    async with connection:
        channel = await connection.channel()
        message = persistent_message(body, message_id=message_id, message_type="", correlation_id=None)
        await channel.default_exchange.publish(message, routing_key=queue)

    async def parked_once() -> bool:
        return len(await parked_on(client, operator, queue)) == 1

    await eventually(parked_once)
    [item] = await parked_on(client, operator, queue)
    return item
