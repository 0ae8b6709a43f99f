"""A sandbox payment provider that behaves like a real one: intents, signed and timestamped webhooks,
declines, held (delayed) and duplicated deliveries, and redelivery until our endpoint acknowledges the
webhook. Only wired when `ESCROW_SANDBOX=true`.

Its state lives in `sandbox_provider_*` collections, standing in for the provider's own systems.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

import aiohttp
from pydantic import BaseModel, ConfigDict
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.adapters.payment_provider import (
    FAILED,
    SUCCEEDED,
    IntentStatus,
    PaymentIntent,
    PaymentWebhook,
    WebhookIntent,
)
from shared.clock import Clock
from shared.errors import Rejected
from shared.money import Money
from shared.mongo import Document, Session
from shared.security import webhooks
from shared.store import from_document, to_document
from shared.timers import DueTimer

SIGNATURE_HEADER = "Tradeguard-Signature"
WEBHOOK_PATH = "/v1/payment-provider/webhooks"
SANDBOX_INTENTS = "sandbox_provider_intents"
SANDBOX_HELD = "sandbox_provider_held_webhooks"
# Set while a settled intent's webhook has not been acknowledged with a 2xx: the redelivery timer's due date.
REDELIVER_AT = "webhook_redeliver_at"
REDELIVERY_BACKOFF = timedelta(seconds=5)  # doubled after each refused redelivery
# Then the provider gives up, as real ones do after days: an endpoint that keeps refusing (a payment for an
# order cancelled meanwhile) must not be retried forever.
MAX_REDELIVERIES = 10


class SandboxIntentNotFound(Rejected):
    code = "sandbox_intent_not_found"


class SandboxIntentSettled(Rejected):
    """The intent already succeeded or failed; a real provider would refuse to settle it again."""

    code = "sandbox_intent_settled"


class WebhookDelivery(BaseModel):
    """One delivery attempt, as sent: a test can replay `body` with `signature` to act as an attacker."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str
    body: str
    signature: str
    status: int | None = None


class SandboxPaymentProvider:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        clock: Clock,
        *,
        secret: str,
        base_url: str | None = None,
        timeout_seconds: float = 10.0,
    ) -> None:
        self._intents = db[SANDBOX_INTENTS]
        self._held = db[SANDBOX_HELD]
        self._clock = clock
        self._secret = secret
        self._base_url = base_url
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)

    async def create_intent(self, *, order_id: str, amount: Money, idempotency_key: str) -> PaymentIntent:
        # The intent id derives from the idempotency key, so a repeated request finds the same intent.
        intent_id = "pi_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]
        intent = PaymentIntent(
            intent_id=intent_id,
            order_id=order_id,
            amount=amount,
            status=IntentStatus.REQUIRES_PAYMENT,
            client_secret=f"{intent_id}_secret_{uuid.uuid4().hex[:12]}",
        )
        await self._intents.update_one({"_id": intent_id}, {"$setOnInsert": to_document(intent)}, upsert=True)
        return await self.intent(intent_id)

    async def intent(self, intent_id: str) -> PaymentIntent:
        document = await self._intents.find_one({"_id": intent_id})
        if document is None:
            raise SandboxIntentNotFound(f"no sandbox payment intent {intent_id}")
        return from_document(PaymentIntent, document)

    async def settle(
        self,
        intent_id: str,
        *,
        succeed: bool,
        failure_reason: str | None = None,
        duplicates: int = 0,
        hold: bool = False,
        origin: str,
    ) -> list[WebhookDelivery]:
        """Capture or decline the payment, then send its webhook `1 + duplicates` times (or hold them)."""
        intent = await self.intent(intent_id)
        status = IntentStatus.SUCCEEDED if succeed else IntentStatus.FAILED
        event = PaymentWebhook(
            event_id=f"evt_{uuid.uuid4().hex}",
            type=SUCCEEDED if succeed else FAILED,
            created=int(self._clock.now().timestamp()),
            data=WebhookIntent(
                intent_id=intent_id,
                order_id=intent.order_id,
                amount=intent.amount,
                failure_reason=None if succeed else (failure_reason or "card_declined"),
            ),
        )
        body = event.model_dump_json()
        # The webhook is recorded with the capture, as a provider's own outbox: if we crash before it
        # is acknowledged (or it never reaches us), the redelivery timer sends it again.
        settled = await self._intents.update_one(
            {"_id": intent_id, "status": IntentStatus.REQUIRES_PAYMENT.value},
            {
                "$set": {
                    "status": status.value,
                    "webhook": body,
                    "webhook_origin": origin,
                    # The first attempt follows at once; a retry one back-off later, unless acknowledged.
                    REDELIVER_AT: None if hold else self._clock.now() + REDELIVERY_BACKOFF,
                }
            },
        )
        if settled.modified_count != 1:
            raise SandboxIntentSettled(f"payment intent {intent_id} is already {intent.status.value}")
        if hold:
            await self._held.insert_many([{"body": body} for _ in range(1 + duplicates)])
            return [
                WebhookDelivery(event_id=event.event_id, body=body, signature="")
                for _ in range(1 + duplicates)
            ]
        deliveries = [await self._deliver(event.event_id, body, origin) for _ in range(1 + duplicates)]
        if any(_acknowledged(delivery.status) for delivery in deliveries):
            await self._intents.update_one({"_id": intent_id}, {"$set": {REDELIVER_AT: None}})
        return deliveries

    def redelivery_timer(self, client: AsyncMongoClient[Document], *, interval_seconds: float) -> DueTimer:
        """Sends every unacknowledged webhook again with a doubling back-off, as real providers retry."""
        return DueTimer(
            "sandbox-webhook-redelivery",
            client=client,
            db=self._intents.database,
            collection=SANDBOX_INTENTS,
            due_field=REDELIVER_AT,
            fire=self._redeliver,
            clock=self._clock,
            interval_seconds=interval_seconds,
        )

    async def _redeliver(self, session: Session, document: Document, now: datetime) -> None:
        body = str(document["webhook"])
        event = PaymentWebhook.model_validate_json(body)
        delivery = await self._deliver(event.event_id, body, str(document["webhook_origin"]))
        redelivered = int(document.get("webhook_redeliveries", 0)) + 1
        if not _acknowledged(delivery.status):
            await self._intents.update_one(
                {"_id": document["_id"]},
                {
                    "$set": {
                        REDELIVER_AT: _next_redelivery(now, redelivered),
                        "webhook_redeliveries": redelivered,
                    }
                },
                session=session,
            )

    async def release_held(self, *, origin: str) -> list[WebhookDelivery]:
        """Deliver the webhooks held back so far (a provider's delayed delivery), oldest first."""
        deliveries = []
        async for document in self._held.find({}).sort("_id", 1):
            await self._held.delete_one({"_id": document["_id"]})
            event = PaymentWebhook.model_validate_json(document["body"])
            deliveries.append(await self._deliver(event.event_id, document["body"], origin))
        return deliveries

    async def _deliver(self, event_id: str, body: str, origin: str) -> WebhookDelivery:
        # Signed when sent, as real providers do: the timestamp is the delivery attempt's.
        signature = webhooks.sign(self._secret, body.encode(), int(self._clock.now().timestamp()))
        url = (self._base_url or origin).rstrip("/") + WEBHOOK_PATH
        try:
            async with (
                aiohttp.ClientSession(timeout=self._timeout) as client,
                client.post(
                    url,
                    data=body.encode(),
                    headers={SIGNATURE_HEADER: signature, "Content-Type": "application/json"},
                ) as response,
            ):
                await response.read()
                status: int | None = response.status
        except (aiohttp.ClientError, TimeoutError):
            status = None  # unreachable: a real provider records the failed attempt and retries later
        return WebhookDelivery(event_id=event_id, body=body, signature=signature, status=status)


def _next_redelivery(now: datetime, redelivered: int) -> datetime | None:
    if redelivered >= MAX_REDELIVERIES:
        return None
    return now + REDELIVERY_BACKOFF * (1 << redelivered)


def _acknowledged(status: int | None) -> bool:
    return status is not None and 200 <= status < 300
