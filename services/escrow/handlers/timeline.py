"""Records every service's order events on the order timeline.

Escrow's own events are recorded in the transaction that emits them (`own_events`): one write beside the
outbox row, where consuming them back from the broker cost an inbox claim, the write and a commit each.
Logistics' and disputes' events ride on the queues of escrow's subscriptions to them (`on_every_event_of`
beside their typed routes), so an event escrow acts on is recorded in the same transaction; catalog's come
through the `timeline` subscription.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.escrow.domain.timeline import OrderParties, TimelineEntry, entry_from_event
from shared.messaging.envelope import Envelope
from shared.messaging.outbox import RecordAlong
from shared.messaging.subscription import AnyEvent, Handler, MessageContext, Subscription
from shared.mongo import Session

from .ports import Timeline

OWN = "escrow"
PRODUCERS = ("catalog", OWN, "logistics", "disputes")
# Recorded as they are emitted (escrow's) or beside escrow's own handlers of them (logistics', disputes').
RECORDED_ELSEWHERE = (OWN, "logistics", "disputes")


async def record(timeline: Timeline, session: Session, envelopes: Sequence[Envelope]) -> None:
    """The events' entries in one write, each keyed by its message id: recording one again rewrites it."""
    entries: list[tuple[TimelineEntry, OrderParties]] = []
    for envelope in envelopes:
        payload = envelope.payload
        entry = entry_from_event(
            message_id=str(envelope.message_id),
            event_type=envelope.type,
            occurred_at=envelope.occurred_at,
            payload=payload,
        )
        if entry is not None:
            parties = OrderParties(
                order_id=entry.order_id,
                buyer_id=payload.get("buyer_id"),
                supplier_id=payload.get("supplier_id"),
            )
            entries.append((entry, parties))
    if entries:
        await timeline.add(entries, session)


def own_events(timeline: Timeline) -> RecordAlong:
    """What the outbox calls with the events escrow emits at once, in the emitting transaction."""

    async def record_own(session: Session, envelopes: Sequence[Envelope]) -> None:
        await record(timeline, session, envelopes)

    return record_own


def record_consumed(timeline: Timeline) -> Handler[AnyEvent]:
    """The timeline's handler of any consumed event, on whichever queue it arrives."""

    async def consumed(context: MessageContext, event: AnyEvent) -> None:
        await record(timeline, context.session, [context.envelope])

    return consumed


def timeline_subscription(timeline: Timeline) -> Subscription:
    subscription = Subscription("timeline")
    for producer in PRODUCERS:
        subscription.on_every_event_of(producer, record_consumed(timeline))
    # The others' events now reach the timeline another way; those a queue declared before still holds are
    # recorded all the same, onto the same entries.
    for producer in RECORDED_ELSEWHERE:
        subscription.no_longer_bound_to(producer)
    return subscription
