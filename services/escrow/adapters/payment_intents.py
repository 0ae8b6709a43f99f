"""Escrow's own record of payment intents (intent → order) and of the webhook events already applied."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.adapters.payment_provider import IntentStatus, PaymentIntent
from shared.mongo import Document, Indexes, Session
from shared.store import from_document, to_document

INTENTS = "payment_intents"
WEBHOOK_EVENTS = "payment_webhook_events"

PAYMENT_INDEXES = Indexes(INTENTS, [IndexModel([("order_id", ASCENDING)], name="by_order")])


class PaymentIntents:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._intents = db[INTENTS]
        self._webhook_events = db[WEBHOOK_EVENTS]

    async def remember(self, intent: PaymentIntent, *, session: Session) -> None:
        # Two concurrent requests with one provider idempotency key get one intent: insert it once.
        await self._intents.update_one(
            {"_id": intent.intent_id},
            {"$setOnInsert": {**to_document(intent), "failure_reason": None}},
            upsert=True,
            session=session,
        )

    async def of_order(self, order_id: str, *, session: Session | None = None) -> list[PaymentIntent]:
        documents = self._intents.find({"order_id": order_id}, session=session).sort("_id", ASCENDING)
        return [_intent(document) async for document in documents]

    async def settle(
        self,
        intent_id: str,
        order_id: str,
        status: IntentStatus,
        failure_reason: str | None,
        *,
        session: Session,
    ) -> PaymentIntent | None:
        # One round trip for the webhook's check and write: the order is part of the match, so a webhook
        # naming another order's intent finds nothing and changes nothing.
        document = await self._intents.find_one_and_update(
            {"_id": intent_id, "order_id": order_id},
            {"$set": {"status": status.value, "failure_reason": failure_reason}},
            return_document=ReturnDocument.AFTER,
            session=session,
        )
        return None if document is None else _intent(document)

    async def first_delivery(self, event_id: str, received_at: datetime, *, session: Session) -> bool:
        """True the first time a webhook event id is seen; a redelivery is acknowledged and skipped."""
        # An upsert, not insert + catch: a duplicate-key error would abort the whole transaction.
        result = await self._webhook_events.update_one(
            {"_id": event_id}, {"$setOnInsert": {"received_at": received_at}}, upsert=True, session=session
        )
        return result.upserted_id is not None


def _intent(document: Document) -> PaymentIntent:
    return from_document(PaymentIntent, document)
