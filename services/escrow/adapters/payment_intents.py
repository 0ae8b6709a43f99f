"""Escrow's own record of payment intents (intent → order) and of the webhook events already applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pymongo import ASCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.adapters.payment_provider import IntentStatus, PaymentIntent
from shared.mongo import Document, Indexes, Session
from shared.store import from_document, to_document

INTENTS = "payment_intents"
# The ids of the webhook events applied to an intent, kept on it.
EVENTS_APPLIED = "webhook_events"
# Where the ids of applied webhook events were kept before the intents kept them: read only for an intent
# remembered before then. Once none of those can be paid any more, this can go.
WEBHOOK_EVENTS = "payment_webhook_events"


@dataclass(frozen=True)
class Settlement:
    """`intent`: as the event left it; None when the event was not applied (a repeat or an unknown intent)."""

    intent: PaymentIntent | None
    repeated: bool = False


PAYMENT_INDEXES = Indexes(INTENTS, [IndexModel([("order_id", ASCENDING)], name="by_order")])


class PaymentIntents:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._intents = db[INTENTS]
        self._webhook_events = db[WEBHOOK_EVENTS]

    async def remember(self, intent: PaymentIntent, *, session: Session) -> None:
        # Two concurrent requests with one provider idempotency key get one intent: insert it once.
        await self._intents.update_one(
            {"_id": intent.intent_id},
            {"$setOnInsert": {**to_document(intent), "failure_reason": None, EVENTS_APPLIED: []}},
            upsert=True,
            session=session,
        )

    async def settle(
        self,
        event_id: str,
        intent_id: str,
        order_id: str,
        status: IntentStatus,
        failure_reason: str | None,
        *,
        received_at: datetime,
        session: Session,
    ) -> Settlement:
        """Apply a webhook event to the intent it names, once. The intent keeps the ids of the events applied
        to it, so one round trip both checks and writes; the order is part of the match, so an event naming
        another order's intent finds nothing and changes nothing. A miss costs one read more, to tell a
        repeat from an unknown intent."""
        applied = {"_id": intent_id, "order_id": order_id}
        change = {
            "$set": {"status": status.value, "failure_reason": failure_reason},
            "$push": {EVENTS_APPLIED: event_id},
        }
        document = await self._intents.find_one_and_update(
            {**applied, EVENTS_APPLIED: {"$exists": True, "$ne": event_id}},
            change,
            return_document=ReturnDocument.AFTER,
            session=session,
        )
        if document is not None:
            return Settlement(intent_of(document))
        known = await self._intents.find_one(applied, {EVENTS_APPLIED: 1}, session=session)
        if known is None:
            return Settlement(None)
        if EVENTS_APPLIED in known or not await self._first_delivery(event_id, received_at, session):
            return Settlement(None, repeated=True)
        # An intent remembered before it kept its events: the ids of that time are in the older collection,
        # which has just recorded this one; from this write on, the intent keeps them.
        document = await self._intents.find_one_and_update(
            applied, change, return_document=ReturnDocument.AFTER, session=session
        )
        return Settlement(None if document is None else intent_of(document))

    async def _first_delivery(self, event_id: str, received_at: datetime, session: Session) -> bool:
        # An upsert, not insert + catch: a duplicate-key error would abort the whole transaction.
        result = await self._webhook_events.update_one(
            {"_id": event_id}, {"$setOnInsert": {"received_at": received_at}}, upsert=True, session=session
        )
        return result.upserted_id is not None


def intent_of(document: Document) -> PaymentIntent:
    """A stored intent document as the intent."""
    return from_document(PaymentIntent, document)
