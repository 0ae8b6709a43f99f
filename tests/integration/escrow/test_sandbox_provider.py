"""The sandbox payment provider answers as a real provider's test mode: held webhooks come with a real
signature, and settling an intent again the same way answers the first answer again."""

from __future__ import annotations

from services.escrow.adapters.sandbox_payments import SIGNATURE_HEADER, WEBHOOK_PATH
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
