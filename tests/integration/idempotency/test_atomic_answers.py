"""The answer to an idempotent request commits in the transaction of its effect: both or neither."""

from __future__ import annotations

import asyncio

from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo import Document
from shared.security.keys import DevKeys
from tests.support.payments_desk import PAY, Client, PaymentsDesk, headers

BOUND_SECONDS = 10


async def test_a_retry_gets_the_original_answer_at_once_when_the_first_was_lost(
    client: Client, keys: DevKeys, desk: PaymentsDesk, db: AsyncDatabase[Document]
) -> None:
    # Given a payment whose answer never reaches the client (held on its way out, then abandoned)
    desk.lose_next_answer = True
    lost = asyncio.ensure_future(client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1")))
    await asyncio.wait_for(desk.answer_leaving.wait(), BOUND_SECONDS)
    lost.cancel()

    # When the client retries with the same key
    retry = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))

    # Then it gets the first answer, not a 409 to wait out, and the payment was made once
    payment = await db.payments.find_one({})
    assert payment is not None
    assert retry.status == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert (await retry.json())["payment_id"] == payment["payment_id"]
    assert await desk.effects() == 1


async def test_a_server_error_after_the_effect_commits_nothing_and_the_retry_runs(
    client: Client, keys: DevKeys, desk: PaymentsDesk
) -> None:
    # Given a payment recorded, then a bug before the answer was built
    desk.fail_after_effect = True
    failed = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))
    assert failed.status == 500
    assert await desk.effects() == 0

    # When the client retries once the bug is gone
    desk.fail_after_effect = False
    retried = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))

    # Then the retry runs afresh: one payment, the retry's
    assert retried.status == 201
    assert "Idempotent-Replayed" not in retried.headers
    assert await desk.effects() == 1


async def test_a_refusal_after_its_work_commits_with_that_work_and_is_replayed(
    client: Client, keys: DevKeys, desk: PaymentsDesk
) -> None:
    # Given a request refused after its work was done (the refusal recorded, as an event is)
    desk.refuse_after_effect = True
    refused = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))

    # When it is retried with the same key
    retry = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))

    # Then the work and the refusal were kept together, and the refusal is replayed
    assert refused.status == retry.status == 400
    assert (await refused.json())["type"].endswith("/payment-refused")
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert await desk.effects() == 1


async def test_a_refusal_inside_its_work_rolls_that_work_back_and_is_replayed(
    client: Client, keys: DevKeys, desk: PaymentsDesk
) -> None:
    # Given a request that a rule refused halfway through its work
    desk.refuse_inside_work = True
    refused = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))

    # When it is retried with the same key
    retry = await client.post("/v1/payments", json=PAY, headers=headers(keys, "k-1"))

    # Then nothing of that work remains, and the refusal is the answer, replayed
    assert refused.status == retry.status == 400
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert await desk.effects() == 0
