"""The one versioned document store, against a real MongoDB-wire server: guarded saves and round trips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

import pytest
from pydantic import BaseModel, ConfigDict
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.errors import Conflict
from shared.money import Money
from shared.mongo import Document, Session, run_in_transaction
from shared.store import Versioned, VersionedStore

DUE = "release_due_at"
NOW = datetime(2026, 3, 2, 9, 30, 15, 123_000, tzinfo=UTC)


class Stage(StrEnum):
    HELD = "held"
    RELEASED = "released"


class Payout(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    payout_id: str
    stage: Stage
    amount: Money
    held_at: datetime
    window: timedelta
    tags: frozenset[str] = frozenset()
    released_at: datetime | None = None


class Payouts(VersionedStore[Payout]):
    """Nested under `payout`, with the timer's due date beside it."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        super().__init__(db, "payouts", Payout, id_field="payout_id", under="payout")

    def beside(self, value: Payout) -> Document:
        return {DUE: None if value.stage is Stage.RELEASED else value.held_at + value.window}


class Committed:
    """Each call one committed transaction, as handlers use the store."""

    def __init__(self, client: AsyncMongoClient[Document], payouts: Payouts) -> None:
        self._client = client
        self._payouts = payouts

    async def insert(self, payout: Payout) -> None:
        async def work(session: Session) -> None:
            await self._payouts.insert(payout, session=session)

        await run_in_transaction(self._client, work)

    async def save(self, payout: Payout, expected_version: int) -> None:
        async def work(session: Session) -> None:
            await self._payouts.save(payout, expected_version=expected_version, session=session)

        await run_in_transaction(self._client, work)


@pytest.fixture
def payouts(db: AsyncDatabase[Document]) -> Payouts:
    return Payouts(db)


@pytest.fixture
def committed(mongo_client: AsyncMongoClient[Document], payouts: Payouts) -> Committed:
    return Committed(mongo_client, payouts)


def a_payout(**changes: object) -> Payout:
    payout = Payout(
        payout_id="p-1",
        stage=Stage.HELD,
        amount=Money(amount=120_000, currency="USD"),
        held_at=NOW,
        window=timedelta(days=14),
        tags=frozenset({"enterprise", "guaranteed"}),
    )
    return payout.model_copy(update=changes)


async def test_an_aggregate_reads_back_unchanged_with_its_dates_stored_as_dates(
    db: AsyncDatabase[Document], payouts: Payouts, committed: Committed
) -> None:
    # Given a payout inserted by the store
    await committed.insert(a_payout())

    # Then it loads back equal, at version 1
    stored = await payouts.get("p-1")
    assert stored is not None
    assert (stored.value, stored.version) == (a_payout(), 1)
    # And its dates are BSON dates (timezone-aware UTC when read), the rest is its JSON form
    document = await db["payouts"].find_one({"_id": "p-1"})
    assert document is not None
    assert document["payout"]["held_at"] == NOW
    assert document["payout"]["held_at"].utcoffset() == timedelta(0)
    assert document["payout"]["window"] == "P14D"
    assert document["payout"]["stage"] == "held"
    assert sorted(document["payout"]["tags"]) == ["enterprise", "guaranteed"]
    # And a due date beside it is found by a range query, as a timer looks for it
    due = await db["payouts"].find_one({DUE: {"$lte": NOW + timedelta(days=14)}})
    assert due is not None
    assert await db["payouts"].find_one({DUE: {"$lte": NOW + timedelta(days=13)}}) is None


async def test_a_save_over_a_version_someone_else_saved_meanwhile_is_a_conflict(
    db: AsyncDatabase[Document], payouts: Payouts, committed: Committed
) -> None:
    # Given a payout two writers have read at version 1
    await committed.insert(a_payout())
    first = second = await payouts.get("p-1")
    assert first is not None
    assert second is not None

    # When the first saves its release
    released = first.value.model_copy(
        update={"stage": Stage.RELEASED, "released_at": NOW + timedelta(days=14)}
    )
    await committed.save(released, first.version)

    # Then the second's save over the version it read is a conflict, and changes nothing
    retagged = second.value.model_copy(update={"tags": frozenset({"disputed"})})
    with pytest.raises(Conflict):
        await committed.save(retagged, second.version)
    stored = await payouts.get("p-1")
    assert stored is not None
    assert (stored.value, stored.version) == (released, 2)
    # And the due date beside it followed the saved release
    document = await db["payouts"].find_one({"_id": "p-1"})
    assert document is not None
    assert document[DUE] is None


async def test_the_first_save_of_a_read_model_joins_the_facts_written_before_it(
    db: AsyncDatabase[Document], payouts: Payouts, committed: Committed
) -> None:
    # Given a document other writes started, which no save has versioned yet
    await db["payouts"].insert_one({"_id": "p-1", "contract": {"placed": True}})
    unversioned = await db["payouts"].find_one({"_id": "p-1"})
    assert unversioned is not None
    assert payouts.load({**unversioned, "payout": a_payout().model_dump(mode="json")}).version == 0

    # When the aggregate is saved over version 0
    await committed.save(a_payout(), 0)

    # Then it joins those facts at version 1, and a second first save is a conflict
    document = await db["payouts"].find_one({"_id": "p-1"})
    assert document is not None
    assert (document["version"], document["contract"]) == (1, {"placed": True})
    with pytest.raises(Conflict):
        await committed.save(a_payout(), 0)


async def test_an_aggregate_is_inserted_once(committed: Committed) -> None:
    await committed.insert(a_payout())

    with pytest.raises(DuplicateKeyError):
        await committed.insert(a_payout())


async def test_inserting_unless_present_keeps_the_first_aggregate_and_returns_it(
    db: AsyncDatabase[Document], mongo_client: AsyncMongoClient[Document], payouts: Payouts
) -> None:
    async def insert(payout: Payout) -> Versioned[Payout] | None:
        async def work(session: Session) -> Versioned[Payout] | None:
            return await payouts.insert_unless_present(payout, session=session)

        return await run_in_transaction(mongo_client, work)

    # The first one is inserted at version 1, stored as `insert` stores it
    assert await insert(a_payout()) is None
    document = await db["payouts"].find_one({"_id": "p-1"})
    assert document is not None
    assert (document["version"], document["payout"]["held_at"], document[DUE]) == (
        1,
        NOW,
        NOW + timedelta(days=14),
    )

    # A second one with its id changes nothing, and the transaction goes on: it gets the first one back
    again = await insert(a_payout(stage=Stage.RELEASED))
    assert again is not None
    assert (again.value, again.version) == (a_payout(), 1)
    stored = await payouts.get("p-1")
    assert stored is not None
    assert (stored.value, stored.version) == (a_payout(), 1)


async def test_a_save_writes_other_fields_of_its_document_in_the_same_update(
    db: AsyncDatabase[Document],
    committed: Committed,
    mongo_client: AsyncMongoClient[Document],
    payouts: Payouts,
) -> None:
    await committed.insert(a_payout())
    released = a_payout(stage=Stage.RELEASED, released_at=NOW)

    async def work(session: Session) -> None:
        also = {"$push": {"history": "released"}, "$set": {"note.by": "ops-1"}}
        await payouts.save(released, expected_version=1, session=session, also=also)

    await run_in_transaction(mongo_client, work)

    # The aggregate, its fields beside it and the other fields all changed, the version once
    document = await db["payouts"].find_one({"_id": "p-1"})
    assert document is not None
    assert (document["version"], document["history"], document["note"], document[DUE]) == (
        2,
        ["released"],
        {"by": "ops-1"},
        None,
    )
    stored = await payouts.get("p-1")
    assert stored is not None
    assert stored.value == released
