"""Persisted timers fire each due date once, only when due, even with two replicas sweeping at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from shared.clock import ManualClock
from shared.mongo import Document, Session, ensure_indexes
from shared.timers import DueTimer

START = datetime(2026, 3, 1, tzinfo=UTC)


def replica(client: AsyncMongoClient[Document], db: AsyncDatabase[Document], clock: ManualClock) -> DueTimer:
    async def fire(session: Session, document: Document, now: datetime) -> None:
        await db["fired"].insert_one({"deadline": document["_id"], "at": now}, session=session)

    return DueTimer(
        "deadlines",
        client=client,
        db=db,
        collection="deadlines",
        due_field="due_at",
        fire=fire,
        clock=clock,
        batch_size=7,
    )


async def test_due_timers_fire_once_each_with_two_replicas_and_not_before_due(
    mongo_client: AsyncMongoClient[Document], db: AsyncDatabase[Document]
) -> None:
    clock = ManualClock(START)
    first, second = replica(mongo_client, db, clock), replica(mongo_client, db, clock)
    await ensure_indexes(db, [first.index])
    # Given 40 deadlines due within the hour and 10 due tomorrow
    await db["deadlines"].insert_many(
        [{"_id": f"soon-{i}", "due_at": START + timedelta(minutes=i + 1)} for i in range(40)]
        + [{"_id": f"later-{i}", "due_at": START + timedelta(days=1)} for i in range(10)]
    )

    # When nothing is due yet, nothing fires
    assert await first.sweep() == 0

    # When the clock passes the hour and two replicas sweep at the same moment
    clock.advance(timedelta(hours=1))
    fired = await asyncio.gather(first.sweep(), second.sweep())

    # Then each due deadline fired exactly once between them, and tomorrow's did not fire
    assert sum(fired) == 40
    deadlines = [document["deadline"] for document in await db["fired"].find().to_list()]
    assert sorted(deadlines) == sorted(f"soon-{i}" for i in range(40))
    assert await db["deadlines"].count_documents({"due_at": {"$ne": None}}) == 10
