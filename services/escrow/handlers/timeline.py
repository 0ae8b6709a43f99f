"""Records every service's order events on the order timeline."""

from __future__ import annotations

from services.escrow.domain.timeline import OrderParties, entry_from_event
from shared.messaging.subscription import AnyEvent, MessageContext, Subscription

from .ports import Timeline

PRODUCERS = ("catalog", "escrow", "logistics", "disputes")


def timeline_subscription(timeline: Timeline) -> Subscription:
    async def record(context: MessageContext, event: AnyEvent) -> None:
        payload = event.model_dump(mode="json")
        envelope = context.envelope
        entry = entry_from_event(
            message_id=str(envelope.message_id),
            event_type=envelope.type,
            occurred_at=envelope.occurred_at,
            payload=payload,
        )
        if entry is None:
            return
        parties = OrderParties(
            order_id=entry.order_id, buyer_id=payload.get("buyer_id"), supplier_id=payload.get("supplier_id")
        )
        await timeline.add(entry, parties, context.session)

    subscription = Subscription("timeline")
    for producer in PRODUCERS:
        subscription.on_every_event_of(producer, record)
    return subscription
