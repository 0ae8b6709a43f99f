"""Provider webhooks are believed only when signed with the provider's secret, recently, and only once.

For the payment provider (escrow), the carriers and the inspection agencies (logistics): an unsigned,
re-signed (wrong secret), stale or future-dated delivery of a genuine event is refused and changes nothing;
the genuine delivery is applied, and delivering it again changes nothing more.
tests/unit/test_webhooks.py proves the verifier; this proves each endpoint's wiring on the running stack.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from deploy import journey
from services.escrow.settings import EscrowSettings
from services.logistics.settings import LogisticsSettings
from shared.security import webhooks
from tests.security.probe import Answer, send
from tests.security.trade import Trade, book_inspection, dispatch

SIGNATURE_HEADER = "Tradeguard-Signature"
STALE_SECONDS = 600  # beyond both services' 300 s tolerance


@dataclass
class Webhook:
    """One provider's endpoint, a genuine event it has not delivered yet, and the state that event changes."""

    service: str
    path: str
    secret: str
    body: bytes
    state: Callable[[], Awaitable[Any]]
    trade: Trade

    async def deliver(self, signature: str | None) -> Answer:
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers[SIGNATURE_HEADER] = signature
        return await send(self.trade.client, self.service, "POST", self.path, data=self.body, headers=headers)

    def signed(self, *, secret: str | None = None, age_seconds: int = 0) -> str:
        now = int(datetime.now(UTC).timestamp())
        return webhooks.sign(secret or self.secret, self.body, now - age_seconds)


async def payment_webhook(trade: Trade) -> Webhook:
    """A placed order whose payment the provider captured but whose webhook it holds back."""
    order_id, intent_id = await place_unpaid_order(trade.seller)
    held = await trade.client.call(
        "escrow", "POST", f"/sandbox/payments/{intent_id}/succeed", json={"hold": True}
    )

    async def order() -> Any:
        return await trade.client.call("escrow", "GET", f"/v1/orders/{order_id}", token=trade.seller.finance)

    secret = EscrowSettings().payment_webhook_secrets[0]
    body = str(held["deliveries"][0]["body"]).encode()
    return Webhook("escrow", "/v1/payment-provider/webhooks", secret, body, order, trade)


async def carrier_webhook(trade: Trade) -> Webhook:
    """A dispatched shipment and the carrier's in-transit scan of it."""
    paid = await journey.paid_order(trade.seller)
    tracking_number = await dispatch(paid)
    scan = {
        "event_id": f"ev-{uuid.uuid4().hex[:8]}",
        "tracking_number": tracking_number,
        "status": "In transit",
        "occurred_at": datetime.now(UTC).isoformat(),
        "location": "Shanghai port",
    }

    async def shipment() -> Any:
        return await trade.client.call(
            "logistics", "GET", f"/v1/shipments/{paid.shipment_id}", token=trade.seller.supplier
        )

    secret = LogisticsSettings().sandbox_webhook_secret
    body = json.dumps(scan).encode()
    return Webhook("logistics", "/v1/carriers/ups/webhooks", secret, body, shipment, trade)


async def agency_webhook(trade: Trade) -> Webhook:
    """A booked pre-shipment inspection and the agency's passing report on it."""
    paid = await journey.paid_order(trade.seller)
    inspection_id = await book_inspection(paid)
    report = {
        "inspection_id": inspection_id,
        "report_ref": f"SGS-{uuid.uuid4().hex[:6]}",
        "inspected_at": datetime.now(UTC).isoformat(),
        "measurements": {"defect_rate": "1.0"},
    }

    async def inspection() -> Any:
        return await trade.client.call(
            "logistics", "GET", f"/v1/inspections/{inspection_id}", token=paid.buyer
        )

    secret = LogisticsSettings().sandbox_webhook_secret
    body = json.dumps(report).encode()
    return Webhook("logistics", "/v1/inspection-agencies/sgs/webhooks", secret, body, inspection, trade)


PROVIDERS: dict[str, Callable[[Trade], Awaitable[Webhook]]] = {
    "payment-provider": payment_webhook,
    "carrier": carrier_webhook,
    "inspection-agency": agency_webhook,
}


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_forged_or_stale_webhooks_are_refused_and_the_genuine_one_applies_once(
    trade: Trade, provider: str
) -> None:
    # Given a genuine provider event not delivered yet
    webhook = await PROVIDERS[provider](trade)
    before = await webhook.state()

    # When it arrives unsigned, re-signed with another secret, with a garbled header, stale or future-dated
    refusals = {
        "unsigned": (await webhook.deliver(None), 401),
        "wrong secret": (await webhook.deliver(webhook.signed(secret="whsec_attacker")), 401),
        "garbled": (await webhook.deliver("v1=deadbeef"), 401),
        "stale": (await webhook.deliver(webhook.signed(age_seconds=STALE_SECONDS)), 400),
        "future": (await webhook.deliver(webhook.signed(age_seconds=-STALE_SECONDS)), 400),
    }

    # Then each is refused with the same problem whichever provider it names, and nothing changes
    for attack, (answer, status) in refusals.items():
        assert answer.is_problem(status), (attack, answer)
        expected = "webhook-stale" if status == 400 else "webhook-signature-invalid"
        assert answer.problem_type.rsplit("/", 1)[-1] == expected, (attack, answer)
    assert await webhook.state() == before

    # When the genuine delivery arrives, and is replayed
    first = await webhook.deliver(webhook.signed())
    applied = await webhook.state()
    replayed = await webhook.deliver(webhook.signed())

    # Then the first is applied and the replay changes nothing
    assert first.status == 200, first
    assert applied != before
    assert replayed.status < 500, replayed
    assert await webhook.state() == applied


async def place_unpaid_order(seller: journey.Seller) -> tuple[str, str]:
    """A new buyer orders the seller's product and opens a payment intent, but has not paid yet."""
    client = seller.client
    buyer = client.token(f"buyer-{uuid.uuid4().hex[:8]}", "buyer", "standard")
    quote = {"product_id": seller.product_id, "quantity": journey.QUANTITY, "destination": "US"}
    quoted = await client.call("catalog", "POST", "/v1/quotes", token=buyer, json=quote, expect=201)
    order = {"quote": quoted["token"], "destination_timezone": "America/New_York"}
    placed = await client.call("escrow", "POST", "/v1/orders", token=buyer, json=order)
    order_id = str(placed["order_id"])
    intent = await client.call("escrow", "POST", f"/v1/orders/{order_id}/payments", token=buyer, expect=201)
    return order_id, str(intent["intent_id"])
