"""Events carry the correlation of the work that recorded them, with no id passed by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from bench.toy import ThingHappened, record_thing
from deploy.local.polling import eventually
from shared.clock import ManualClock
from shared.correlation import correlated, current_correlation
from shared.messaging.envelope import Event
from shared.messaging.outbox import OUTBOX
from shared.messaging.subscription import MessageContext, Subscription
from shared.mongo import Document, Session
from shared.platform import Platform
from shared.timers import DueTimer
from tests.integration.conftest import PlatformFactory


class ThingNoted(Event):
    TYPE: ClassVar[str] = "toyconsumer.thing_noted"
    thing_id: str


def noting(platform: Platform) -> list[Subscription]:
    async def note(context: MessageContext, event: ThingHappened) -> None:
        await context.emit(ThingNoted(thing_id=event.thing_id))

    return [Subscription("things").on(ThingHappened, note)]


async def envelopes(platform: Platform, event_type: str) -> dict[str, dict[str, Any]]:
    rows = await platform.db[OUTBOX].find({"envelope.type": event_type}).to_list()
    return {row["envelope"]["payload"]["thing_id"]: row["envelope"] for row in rows}


async def test_a_handlers_events_carry_its_messages_correlation_and_the_message_as_cause(
    make_platform: PlatformFactory,
) -> None:
    consumer = await make_platform("toyconsumer", noting)
    producer = await make_platform("toyproducer")

    # Given things recorded by eight requests, each with its own correlation (delivered, likely, in batches)
    for index in range(8):
        with correlated(f"request-{index}"):
            await record_thing(producer, f"thing-{index}")

    # When the consumer notes each of them
    async def all_noted() -> bool:
        return len(await envelopes(consumer, ThingNoted.TYPE)) == 8

    await eventually(all_noted)

    # Then each note carries the correlation of the request behind its thing, and that thing's message
    happened = await envelopes(producer, ThingHappened.TYPE)
    noted = await envelopes(consumer, ThingNoted.TYPE)
    for index in range(8):
        thing = f"thing-{index}"
        assert (happened[thing]["correlation_id"], happened[thing]["causation_id"]) == (
            f"request-{index}",
            None,
        )
        assert noted[thing]["correlation_id"] == f"request-{index}"
        assert noted[thing]["causation_id"] == happened[thing]["message_id"]


async def test_a_timers_firing_is_correlated_with_the_timer_and_its_document(
    mongo_client: AsyncMongoClient[Document], db: AsyncDatabase[Document]
) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    seen: list[str] = []

    async def fire(session: Session, document: Document, now: datetime) -> None:
        seen.append(current_correlation().correlation_id)

    clock = ManualClock(start)
    timer = DueTimer(
        "deadlines",
        client=mongo_client,
        db=db,
        collection="deadlines",
        due_field="due_at",
        fire=fire,
        clock=clock,
    )
    await db["deadlines"].insert_one({"_id": "d-1", "due_at": start + timedelta(minutes=1)})

    clock.advance(timedelta(minutes=1))
    assert await timer.sweep() == 1

    assert seen == ["timer:deadlines:d-1"]
