"""A service killed the moment its effect commits: the retry gets the original answer at once."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator

import aiohttp
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from deploy.local.servers import MongoServer
from shared.mongo import Document
from shared.security.keys import DevKeys
from tests.support.payments_desk import PAY, Client, PaymentsDesk, headers

# Start-up of the victim process, and its payment: generous bounds that only a hung run reaches.
BOUND_SECONDS = 30


@pytest.fixture
async def victim(
    mongo_server: MongoServer, db: AsyncDatabase[Document], keys: DevKeys
) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.idempotency_victim",
        mongo_server.url,
        db.name,
        str(keys.private_key_path.parent),
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    port = int(await asyncio.wait_for(process.stdout.readline(), BOUND_SECONDS))
    yield process, f"http://127.0.0.1:{port}"
    if process.returncode is None:
        process.kill()
        await process.wait()


async def test_a_retry_after_the_service_died_between_effect_and_answer_gets_the_original_answer_at_once(
    victim: tuple[asyncio.subprocess.Process, str],
    db: AsyncDatabase[Document],
    keys: DevKeys,
    client: Client,
    desk: PaymentsDesk,
) -> None:
    process, url = victim
    # Given a payment request whose service process is SIGKILLed as soon as its payment has committed,
    # before it does anything else
    assert process.stdout is not None
    async with aiohttp.ClientSession() as session:
        request = asyncio.ensure_future(
            session.post(f"{url}/v1/payments", json=PAY, headers=headers(keys, "k-1"))
        )
        assert await asyncio.wait_for(process.stdout.readline(), BOUND_SECONDS) == b"committed\n"
        process.send_signal(signal.SIGKILL)
        assert await process.wait() == -signal.SIGKILL
        with contextlib.suppress(aiohttp.ClientError):
            await request
    payment = await db.payments.find_one({})
    assert payment is not None

    # When the client retries with the same key on the service started again (same database; its clock
    # has not moved, so a lease left behind would still hold)
    retry = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))

    # Then the first answer is replayed at once, and the payment was made once
    assert retry.status == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert (await retry.json())["payment_id"] == payment["payment_id"]
    assert await desk.effects() == 1
