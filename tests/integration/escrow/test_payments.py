"""Payments through the sandbox provider: signed webhooks fund an order exactly once; forged or stale
ones change nothing; declines leave it awaiting payment; delayed deliveries fund it when they arrive."""

from __future__ import annotations

import json
from datetime import timedelta

from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from services.escrow.adapters.payment_intents import EVENTS_APPLIED, INTENTS, WEBHOOK_EVENTS
from services.escrow.adapters.sandbox_payments import (
    MAX_REDELIVERIES,
    REDELIVERY_BACKOFF,
    SIGNATURE_HEADER,
    WEBHOOK_PATH,
)
from shared.security import webhooks

from .conftest import StartEscrow
from .support import Escrow, timer


async def test_duplicated_webhooks_fund_the_order_once(start_escrow: StartEscrow) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place(currency="KWD")

    # When the provider captures the payment and delivers its webhook three times
    deliveries = await escrow.pay(order_id, duplicates=2)

    # Then the first delivery funds the order and the others are acknowledged as duplicates
    assert [d["status"] for d in deliveries] == [200, 200, 200]
    order = await escrow.order(order_id)
    assert order["status"] == "funded"
    assert order["paid"] == order["held"] == {"amount": 325_000, "currency": "KWD"}
    funded = await escrow.service.published("escrow.order_funded")
    assert len(funded) == 1
    assert funded[0]["buyer_tier"] == "standard"
    # and it carries the contract's frozen protection: the quote's rate and the caps in dinars at it
    protection = funded[0]["protection"]
    assert protection["exchange_rate"]["currency"] == "KWD"
    assert protection["easy_return"]["eligible"] is True
    assert protection["compensation_cap"] == {"amount": 30_000, "currency": "KWD"}
    assert await escrow.ledger_breaches() == []


async def test_unsigned_forged_or_stale_webhooks_are_rejected_and_change_nothing(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place()
    intent = await escrow.open_intent(order_id)
    # Given a genuine webhook the provider has not delivered yet
    held = await escrow.service.call("POST", f"/sandbox/payments/{intent}/succeed", json={"hold": True})
    body = (await held.json())["deliveries"][0]["body"]
    now = int(escrow.clock.now().timestamp())

    async def deliver(headers: dict[str, str]) -> tuple[int, str]:
        response = await escrow.service.client.post(WEBHOOK_PATH, data=body.encode(), headers=headers)
        return response.status, (await response.json())["type"].rsplit("/", 1)[-1]

    # When it arrives unsigned, signed with another secret, or signed ten minutes ago
    assert await deliver({}) == (401, "webhook-signature-invalid")
    forged = webhooks.sign("not-the-secret", body.encode(), now)
    assert await deliver({SIGNATURE_HEADER: forged}) == (401, "webhook-signature-invalid")
    secret = escrow.settings.payment_webhook_secrets[0]
    stale = webhooks.sign(secret, body.encode(), now - 600)
    assert await deliver({SIGNATURE_HEADER: stale}) == (400, "webhook-stale")

    # Then the order is still awaiting payment and nothing was published
    assert (await escrow.order(order_id))["status"] == "awaiting_payment"
    assert await escrow.service.published("escrow.order_funded") == []


async def test_a_webhook_naming_another_orders_intent_funds_neither_order(start_escrow: StartEscrow) -> None:
    escrow = await start_escrow()
    paying, other = await escrow.place(), await escrow.place(buyer="b-2")
    intent = await escrow.open_intent(paying)
    held = await escrow.service.call("POST", f"/sandbox/payments/{intent}/succeed", json={"hold": True})
    genuine = json.loads((await held.json())["deliveries"][0]["body"])
    # Given a correctly signed webhook whose intent pays one order but which names the other
    genuine["data"]["order_id"] = other
    body = json.dumps(genuine).encode()
    secret = escrow.settings.payment_webhook_secrets[0]
    signature = webhooks.sign(secret, body, int(escrow.clock.now().timestamp()))

    response = await escrow.service.client.post(
        WEBHOOK_PATH, data=body, headers={SIGNATURE_HEADER: signature}
    )

    # Then it is acknowledged (the provider must stop), and nothing is funded or published
    assert response.status == 200
    assert (await escrow.order(paying))["status"] == "awaiting_payment"
    assert (await escrow.order(other))["status"] == "awaiting_payment"
    assert await escrow.service.published("escrow.order_funded") == []


async def test_a_webhook_event_is_applied_once_also_to_an_intent_remembered_before_it_kept_its_events(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    db = escrow.service.platform.db
    secret = escrow.settings.payment_webhook_secrets[0]

    async def held_webhook(order_id: str, buyer: str = "b-1") -> tuple[str, bytes]:
        intent = await escrow.open_intent(order_id, buyer)
        held = await escrow.service.call("POST", f"/sandbox/payments/{intent}/succeed", json={"hold": True})
        return intent, (await held.json())["deliveries"][0]["body"].encode()

    async def deliver(body: bytes) -> str:
        signature = webhooks.sign(secret, body, int(escrow.clock.now().timestamp()))
        response = await escrow.service.client.post(
            WEBHOOK_PATH, data=body, headers={SIGNATURE_HEADER: signature}
        )
        assert response.status == 200
        return str((await response.json())["outcome"])

    # An intent that keeps the ids of the events applied to it: the first delivery applies, a repeat does not
    _, body = await held_webhook(await escrow.place())
    assert [await deliver(body), await deliver(body)] == ["applied", "duplicate"]

    # An intent remembered before that (no ids on it): a new event applies once, then is known on the intent
    older = await escrow.place(buyer="b-2")
    intent, body = await held_webhook(older, "b-2")
    await db[INTENTS].update_one({"_id": intent}, {"$unset": {EVENTS_APPLIED: ""}})
    assert [await deliver(body), await deliver(body)] == ["applied", "duplicate"]
    assert (await escrow.order(older, escrow.tokens.buyer("b-2")))["status"] == "funded"

    # and an event it had applied before then (its id in the older collection) is a repeat
    oldest = await escrow.place(buyer="b-3")
    intent, body = await held_webhook(oldest, "b-3")
    await db[INTENTS].update_one({"_id": intent}, {"$unset": {EVENTS_APPLIED: ""}})
    await db[WEBHOOK_EVENTS].insert_one({"_id": json.loads(body)["event_id"]})
    assert await deliver(body) == "duplicate"
    assert (await escrow.order(oldest, escrow.tokens.buyer("b-3")))["status"] == "awaiting_payment"
    assert len(await escrow.service.published("escrow.order_funded")) == 2


async def test_a_declined_payment_leaves_the_order_awaiting_payment_and_the_buyer_may_pay_again(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place()
    first = await escrow.open_intent(order_id)

    # When the card is declined
    declined = await escrow.service.call("POST", f"/sandbox/payments/{first}/decline", json={})
    assert [d["status"] for d in (await declined.json())["deliveries"]] == [200]

    # Then the order still awaits payment, and a new intent is opened for the next attempt
    assert (await escrow.order(order_id))["status"] == "awaiting_payment"
    second = await escrow.open_intent(order_id)
    assert second != first
    assert await escrow.open_intent(order_id) == second  # asking again returns the open intent
    await escrow.service.call("POST", f"/sandbox/payments/{second}/succeed", json={})
    assert (await escrow.order(order_id))["status"] == "funded"


async def test_a_delayed_webhook_funds_the_order_when_it_arrives(start_escrow: StartEscrow) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place(currency="JPY")
    await escrow.pay(order_id, hold=True, duplicates=1)
    assert (await escrow.order(order_id))["status"] == "awaiting_payment"

    # When the provider delivers the held webhooks an hour later (signed at delivery time)
    escrow.clock.advance(timedelta(hours=1))
    released = await escrow.service.call("POST", "/sandbox/payments/webhooks/release")

    # Then the order is funded once, from the moment the webhook arrived
    assert [d["status"] for d in (await released.json())["deliveries"]] == [200, 200]
    order = await escrow.order(order_id)
    assert order["status"] == "funded"
    assert order["funded_at"].startswith(escrow.clock.now().isoformat()[:16])
    assert len(await escrow.service.published("escrow.order_funded")) == 1


async def test_a_payment_captured_after_the_order_was_cancelled_is_refunded_in_full(
    start_escrow: StartEscrow,
) -> None:
    # Given the buyer opened a payment, then cancelled the order before the payment went through
    escrow = await start_escrow()
    order_id = await escrow.place()
    await escrow.pay(order_id, hold=True)
    cancelled = await escrow.service.call(
        "POST",
        f"/v1/orders/{order_id}/cancel",
        json={"reason": "found it cheaper"},
        token=escrow.tokens.buyer("b-1"),
    )
    assert cancelled.status == 200, await cancelled.text()

    # When the provider's webhook for the captured payment arrives after all
    released = await escrow.service.call("POST", "/sandbox/payments/webhooks/release")

    # Then escrow acknowledges it and hands the money straight back: nothing held, nothing funded
    assert [d["status"] for d in (await released.json())["deliveries"]] == [200]
    order = await escrow.order(order_id)
    assert order["status"] == "cancelled"
    assert order["paid"] == order["refunded"] == {"amount": 214_900, "currency": "USD"}  # 100 × 19.99 + 150
    assert order["held"] == {"amount": 0, "currency": "USD"}
    assert await escrow.service.published("escrow.order_funded") == []
    (refund,) = await escrow.service.published("escrow.refund_issued")
    assert refund["after_cancellation"] is True
    assert await escrow.ledger_breaches() == []


async def test_only_the_orders_buyer_opens_a_payment(start_escrow: StartEscrow) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place("b-1")
    other = await escrow.service.call(
        "POST", f"/v1/orders/{order_id}/payments", token=escrow.tokens.buyer("b-2")
    )
    supplier = await escrow.service.call(
        "POST", f"/v1/orders/{order_id}/payments", token=escrow.tokens.supplier("s-1")
    )
    assert (other.status, supplier.status) == (404, 403)


async def test_outside_sandbox_mode_there_are_no_sandbox_controls_and_no_fake_payments(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow(sandbox=False)
    order_id = await escrow.place()

    response = await escrow.service.call(
        "POST", f"/v1/orders/{order_id}/payments", token=escrow.tokens.buyer("b-1")
    )
    assert response.status == 503
    assert (await escrow.service.call("POST", "/sandbox/payments/webhooks/release")).status == 404


class FlakyFront:
    """Stands between the provider and escrow, refusing the first `refusals` deliveries with a 503."""

    def __init__(self, refusals: int) -> None:
        self.refusals = refusals
        self.answers: list[int] = []
        self.escrow_url = ""
        app = web.Application()
        app.router.add_post(WEBHOOK_PATH, self._deliver)
        self.server = TestServer(app)

    async def _deliver(self, request: web.Request) -> web.Response:
        if len(self.answers) < self.refusals:
            self.answers.append(503)
            return web.Response(status=503)
        async with (
            ClientSession() as session,
            session.post(
                self.escrow_url + WEBHOOK_PATH, data=await request.read(), headers=request.headers
            ) as reply,
        ):
            self.answers.append(reply.status)
            return web.Response(status=reply.status, body=await reply.read())

    async def escrow_behind(self, start_escrow: StartEscrow) -> Escrow:
        await self.server.start_server()
        escrow = await start_escrow(sandbox_webhook_base_url=str(self.server.make_url("")))
        self.escrow_url = str(escrow.service.client.make_url(""))
        return escrow


async def test_a_webhook_our_endpoint_did_not_acknowledge_is_redelivered_until_it_is(
    start_escrow: StartEscrow,
) -> None:
    # Given the provider reaches escrow through a front that fails the first delivery (escrow was down)
    front = FlakyFront(refusals=1)
    try:
        escrow = await front.escrow_behind(start_escrow)
        order_id = await escrow.place()

        # When the payment is captured and its only delivery is refused
        deliveries = await escrow.pay(order_id)
        assert [delivery["status"] for delivery in deliveries] == [503]
        assert (await escrow.order(order_id))["status"] == "awaiting_payment"

        # Then the provider sends it again after its back-off, and the order is funded
        redelivery = timer(escrow.service, "sandbox-webhook-redelivery")
        assert await redelivery.sweep() == 0  # not before the back-off
        escrow.clock.advance(REDELIVERY_BACKOFF)
        assert await redelivery.sweep() == 1
        assert front.answers == [503, 200]
        assert (await escrow.order(order_id))["status"] == "funded"

        # And once acknowledged it is never sent again
        escrow.clock.advance(timedelta(days=1))
        assert await redelivery.sweep() == 0
        assert front.answers == [503, 200]
        assert len(await escrow.service.published("escrow.order_funded")) == 1
    finally:
        await front.server.close()


async def test_a_webhook_refused_every_time_is_given_up_after_the_last_redelivery(
    start_escrow: StartEscrow,
) -> None:
    # Given an endpoint that refuses every delivery
    front = FlakyFront(refusals=1_000)
    try:
        escrow = await front.escrow_behind(start_escrow)
        order_id = await escrow.place()
        await escrow.pay(order_id)
        redelivery = timer(escrow.service, "sandbox-webhook-redelivery")

        # When a day passes between sweeps, again and again
        for _ in range(MAX_REDELIVERIES + 3):
            escrow.clock.advance(timedelta(days=1))
            await redelivery.sweep()

        # Then the provider tried once and redelivered MAX_REDELIVERIES times, then stopped
        assert front.answers == [503] * (1 + MAX_REDELIVERIES)
    finally:
        await front.server.close()
