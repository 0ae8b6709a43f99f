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
from pydantic import BaseModel, ConfigDict, Field
from pymongo import AsyncMongoClient, ReturnDocument
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
from shared.http.outbound import OutboundHttp
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
# The first settle call's answer, replayed to a repeated call for the same outcome.
ANSWER = "settle_answer"
REDELIVERY_BACKOFF = timedelta(seconds=5)  # doubled after each refused redelivery
# Then the provider gives up, as real ones do after days: an endpoint that keeps refusing (a payment for an
# order cancelled meanwhile) must not be retried forever.
MAX_REDELIVERIES = 10


class SandboxIntentNotFound(Rejected):
    code = "sandbox_intent_not_found"


class SandboxIntentSettled(Rejected):
    """The intent already settled the other way (or is settling); a real provider would refuse it too."""

    code = "sandbox_intent_settled"


class WebhookDelivery(BaseModel):
    """One delivery attempt, as sent: a test can replay `body` with `signature` to act as an attacker.

    A held delivery carries the signature it would be sent with now (it is signed afresh when released).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str
    body: str
    signature: str = Field(description="The signature header's value: `t=<unix seconds>,v1=<hex>`.")
    status: int | None = Field(
        default=None, description="Our endpoint's answer; null when held or unreachable."
    )


class SandboxPaymentProvider:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        clock: Clock,
        *,
        secret: str,
        http: OutboundHttp,
        base_url: str | None = None,
    ) -> None:
        self._intents = db[SANDBOX_INTENTS]
        self._held = db[SANDBOX_HELD]
        self._clock = clock
        self._secret = secret
        self._base_url = base_url
        self._http = http

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
        # One round trip: the upsert answers with the intent as stored, this one or the first request's.
        document = await self._intents.find_one_and_update(
            {"_id": intent_id},
            {"$setOnInsert": to_document(intent)},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert document is not None  # an upsert always has a document after it
        return from_document(PaymentIntent, document)

    async def intent(self, intent_id: str, *, session: Session | None = None) -> PaymentIntent:
        document = await self._intents.find_one({"_id": intent_id}, session=session)
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
        """Capture or decline the payment, then send its webhook `1 + duplicates` times (or hold them).

        Asked again for the same outcome, it answers the first answer again, as a provider's idempotent API.
        """
        # The provider is another system: its capture commits on its own, never inside the transaction of
        # the request that drove it. Held open across the webhook (a call back into escrow), that
        # transaction would make the webhook's own work wait on it; under load neither finished in time.
        async with self._intents.database.client.start_session() as own:
            return await self._settle(
                own,
                intent_id,
                succeed=succeed,
                failure_reason=failure_reason,
                duplicates=duplicates,
                hold=hold,
                origin=origin,
            )

    async def _settle(
        self,
        own: Session,
        intent_id: str,
        *,
        succeed: bool,
        failure_reason: str | None,
        duplicates: int,
        hold: bool,
        origin: str,
    ) -> list[WebhookDelivery]:
        intent = await self.intent(intent_id, session=own)
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
        held = [self._signed(event.event_id, body) for _ in range(1 + duplicates)] if hold else []
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
                    ANSWER: _answer(held) if hold else None,
                }
            },
            session=own,
        )
        if settled.modified_count != 1:
            return await self._first_answer(intent_id, status, own)
        if hold:
            await self._held.insert_many([{"body": body} for _ in held], session=own)
            return held
        deliveries = [await self._deliver(event.event_id, body, origin) for _ in range(1 + duplicates)]
        answered: Document = {ANSWER: _answer(deliveries)}
        if any(_acknowledged(delivery.status) for delivery in deliveries):
            answered[REDELIVER_AT] = None
        await self._intents.update_one({"_id": intent_id}, {"$set": answered}, session=own)
        return deliveries

    async def _first_answer(
        self, intent_id: str, asked: IntentStatus, session: Session
    ) -> list[WebhookDelivery]:
        """The answer of the settle call that settled the intent, if it settled it as asked now."""
        document = await self._intents.find_one({"_id": intent_id}, session=session) or {}
        if document.get("status") != asked.value or document.get(ANSWER) is None:
            raise SandboxIntentSettled(
                f"intent {intent_id} is {document.get('status')}, not {asked.value}, or still settling"
            )
        return [WebhookDelivery.model_validate(delivery) for delivery in document[ANSWER]]

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

    def _signed(self, event_id: str, body: str) -> WebhookDelivery:
        # Signed when sent, as real providers do: the timestamp is the delivery attempt's (or, held, now's).
        signature = webhooks.sign(self._secret, body.encode(), int(self._clock.now().timestamp()))
        return WebhookDelivery(event_id=event_id, body=body, signature=signature)

    async def _deliver(self, event_id: str, body: str, origin: str) -> WebhookDelivery:
        signature = self._signed(event_id, body).signature
        url = (self._base_url or origin).rstrip("/") + WEBHOOK_PATH
        try:
            async with self._http.session().post(
                url,
                data=body.encode(),
                headers={SIGNATURE_HEADER: signature, "Content-Type": "application/json"},
            ) as response:
                await response.read()
                status: int | None = response.status
        except (aiohttp.ClientError, TimeoutError):
            status = None  # unreachable: a real provider records the failed attempt and retries later
        return WebhookDelivery(event_id=event_id, body=body, signature=signature, status=status)


def _answer(deliveries: list[WebhookDelivery]) -> list[Document]:
    return [delivery.model_dump() for delivery in deliveries]


def _next_redelivery(now: datetime, redelivered: int) -> datetime | None:
    if redelivered >= MAX_REDELIVERIES:
        return None
    return now + REDELIVERY_BACKOFF * (1 << redelivered)


def _acknowledged(status: int | None) -> bool:
    return status is not None and 200 <= status < 300
