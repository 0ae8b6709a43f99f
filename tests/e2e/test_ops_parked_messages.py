"""An operator works a parked message of the local stack with `python -m deploy.ops parked …`: lists it,
replays it to its queue (where, still garbled, it fails and parks again), and discards it with a reason."""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from deploy.local.stack import LocalStack
from tests.e2e.parking import escrow_queue, park_garbled, parked_on


async def ops(stack: LocalStack, *argv: str) -> str:
    """Run the ops command against the stack; its output, once it exited successfully."""
    command = [
        *argv,
        "--service",
        "escrow",
        "--home",
        str(stack.home),
        "--url",
        f"escrow={stack.url('escrow')}",
    ]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deploy.ops",
        "parked",
        *command,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "COLUMNS": "400"},
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


async def test_an_operator_lists_replays_and_discards_a_parked_message_from_the_command_line(
    stack: LocalStack,
) -> None:
    queue = escrow_queue(stack)
    async with PlatformClient.for_stack(stack) as client:
        operator = client.token("ops-e2e", "ops:platform")

        async def parked() -> list[dict[str, Any]]:
            return await parked_on(client, operator, queue)

        # Given a garbled message on one of escrow's queues, parked once its retries are spent
        item = await park_garbled(stack, client, operator, b"{garbled", "e2e-garbled")

        # When the operator lists the parked messages, they see it with its error
        listing = await ops(stack, "list")
        assert item["id"] in listing
        assert "invalid envelope" in listing

        # When they replay it, it goes back to its queue, fails again, and parks again
        replayed = await ops(stack, "replay", item["id"])
        assert f"replayed 1 message(s) to {queue}" in replayed

        async def parked_again() -> bool:
            again = await parked()
            return len(again) == 1 and again[0]["parked_at"] > item["parked_at"]

        await eventually(parked_again)

        # When they discard it with a reason, the command confirms it and the list is empty
        discarded = await ops(stack, "discard", item["id"], "--reason", "Garbled by the e2e test")
        assert "Garbled by the e2e test" in discarded
        assert "ops-cli" in discarded
        assert await parked() == []
