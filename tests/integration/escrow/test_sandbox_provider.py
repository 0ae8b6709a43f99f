"""The sandbox payment provider answers as a real provider's test mode: held webhooks come with a real
signature, and settling an intent again the same way answers the first answer again."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestServer
from pymongo.asynchronous.collection import AsyncCollection

from services.escrow.adapters.sandbox_payments import SANDBOX_INTENTS, SIGNATURE_HEADER, WEBHOOK_PATH
from shared.mongo import Document
from shared.security import webhooks

from .conftest import StartEscrow


async def test_a_held_webhook_is_answered_with_the_signature_it_would_be_sent_with(
    start_escrow: StartEscrow,
) -> None:
    # Given an order whose payment the provider captures but holds the webhook of
    escrow = await start_escrow()
    order_id = await escrow.place()
    intent = await escrow.open_intent(order_id)

    # When the sandbox is told to succeed and hold
    held = await escrow.service.call("POST", f"/sandbox/payments/{intent}/succeed", json={"hold": True})
    (delivery,) = (await held.json())["deliveries"]

    # Then the answer carries a signature that verifies with the provider's secret, as of now
    body = delivery["body"].encode()
    now = escrow.clock.now()
    assert webhooks.verify(escrow.settings.payment_webhook_secrets, delivery["signature"], body, now)
    assert delivery["status"] is None  # not sent yet

    # And delivering it as answered funds the order
    sent = await escrow.service.client.post(
        WEBHOOK_PATH, data=body, headers={SIGNATURE_HEADER: delivery["signature"]}
    )
    assert sent.status == 200, await sent.text()
    assert (await escrow.order(order_id))["status"] == "funded"


async def test_settling_an_intent_again_the_same_way_replays_the_first_answer(
    start_escrow: StartEscrow,
) -> None:
    # Given a payment the sandbox provider captured, its webhook delivered
    escrow = await start_escrow()
    order_id = await escrow.place()
    intent = await escrow.open_intent(order_id)
    first = await escrow.service.call("POST", f"/sandbox/payments/{intent}/succeed", json={})
    assert first.status == 200, await first.text()

    # When the sandbox is told to succeed again (a retried demo step), then to decline
    again = await escrow.service.call("POST", f"/sandbox/payments/{intent}/succeed", json={})
    declined = await escrow.service.call("POST", f"/sandbox/payments/{intent}/decline", json={})

    # Then the repeat answers the first answer, and nothing is sent or funded twice
    assert again.status == 200
    assert await again.json() == await first.json()
    assert len(await escrow.service.published("escrow.order_funded")) == 1
    # But the other outcome is refused: the provider already captured the payment
    assert declined.status == 409
    assert (await declined.json())["type"].endswith("/sandbox-intent-settled")


async def test_the_providers_capture_is_committed_before_its_webhook_is_sent_whatever_request_drove_it(
    start_escrow: StartEscrow,
) -> None:
    # Given a webhook endpoint that looks at the provider's record of the intent when its webhook arrives
    seen: list[str] = []
    provider_records: list[AsyncCollection[Document]] = []

    async def receive(request: web.Request) -> web.Response:
        intent_id = (await request.json())["data"]["intent_id"]
        stored = await provider_records[0].find_one({"_id": intent_id})
        seen.append(stored["status"] if stored else "missing")
        return web.json_response({"received": True})

    endpoint = web.Application()
    endpoint.router.add_post(WEBHOOK_PATH, receive)
    async with TestServer(endpoint) as server:
        escrow = await start_escrow(sandbox_webhook_base_url=str(server.make_url("")).rstrip("/"))
        provider_records.append(escrow.service.platform.db[SANDBOX_INTENTS])
        order_id = await escrow.place()
        intent = await escrow.open_intent(order_id)

        # When a retry-safe request (an Idempotency-Key: it runs in one request transaction) succeeds it
        settled = await escrow.service.call(
            "POST", f"/sandbox/payments/{intent}/succeed", json={}, idempotency_key="capture-1"
        )

    # Then the webhook found the capture committed: the provider is another system. Had the capture waited
    # for the driving request's commit, the webhook (a call back into escrow) would not see it, and under
    # load the request and its webhook would each wait on the other until both timed out.
    assert settled.status == 200, await settled.text()
    assert seen == ["succeeded"]
