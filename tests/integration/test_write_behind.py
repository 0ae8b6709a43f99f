"""Writes a transaction holds until its commit: one round trip for all of them, nothing of a failed attempt,
and a failure at the commit raised as what it means to the code that made the write."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, PyMongoError
from pymongo.monitoring import CommandFailedEvent, CommandListener, CommandStartedEvent, CommandSucceededEvent
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

from deploy.local.servers import MongoServer
from shared import write_behind
from shared.mongo import Document, Session, run_in_transaction
from shared.write_behind import Inserts, Upserts


class _Commands(CommandListener):
    """The names of the commands a client sends, in order (the driver's own monitoring)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def started(self, event: CommandStartedEvent) -> None:
        self.names.append(event.command_name)

    def succeeded(self, event: CommandSucceededEvent) -> None:
        pass

    def failed(self, event: CommandFailedEvent) -> None:
        pass


class _AnsweredFirst(Exception):
    pass


@pytest.fixture
async def watched(mongo_server: MongoServer) -> AsyncIterator[tuple[AsyncDatabase[Document], _Commands]]:
    commands = _Commands()
    client: AsyncMongoClient[Document] = AsyncMongoClient(
        mongo_server.url, tz_aware=True, event_listeners=[commands]
    )
    db = client[f"t_{uuid.uuid4().hex[:12]}"]
    await db["orders"].insert_one({"_id": "o-1", "status": "placed"})
    commands.names.clear()
    yield db, commands
    await client.drop_database(db.name)
    await client.close()


def _held(db: AsyncDatabase[Document], order: str) -> list[write_behind.Write]:
    """An outbox row, a read-model entry and an idempotency record, as a request's transaction holds them."""
    return [
        Inserts(db["outbox"], [{"_id": f"{order}-event", "order_id": order}]),
        Upserts(db["timeline"], [({"_id": f"{order}-entry"}, {"order_id": order, "what": "funded"})]),
        Inserts(db["records"], [{"_id": f"{order}-key"}]),
    ]


async def test_the_writes_a_transaction_holds_reach_the_database_in_one_round_trip_at_its_commit(
    watched: tuple[AsyncDatabase[Document], _Commands],
) -> None:
    db, commands = watched

    async def work(session: Session) -> None:
        await db["orders"].update_one({"_id": "o-1"}, {"$set": {"status": "funded"}}, session=session)
        for call in _held(db, "o-1"):
            await write_behind.write(session, call)
        # Held: the transaction has sent nothing of them yet
        assert commands.names == ["update"]

    # When a transaction that changed an order holds three writes to three collections
    await run_in_transaction(db.client, work)

    # Then they went in one bulkWrite before the commit
    assert commands.names == ["update", "bulkWrite", "commitTransaction"]
    # And all of them committed
    assert await db["outbox"].find_one({"_id": "o-1-event"}) == {"_id": "o-1-event", "order_id": "o-1"}
    assert await db["timeline"].find_one({"_id": "o-1-entry"}) == {
        "_id": "o-1-entry",
        "order_id": "o-1",
        "what": "funded",
    }
    assert await db["records"].count_documents({"_id": "o-1-key"}) == 1


async def test_a_transaction_that_sent_nothing_yet_sends_what_it_holds_call_by_call(
    watched: tuple[AsyncDatabase[Document], _Commands],
) -> None:
    db, commands = watched

    async def work(session: Session) -> None:
        for call in _held(db, "o-2"):
            await write_behind.write(session, call)

    # When a transaction's only writes are held ones (its first statement carries the read concern, which
    # not every server takes on a bulkWrite)
    await run_in_transaction(db.client, work)

    # Then each went as its own call would have, and all committed
    assert commands.names == ["insert", "update", "insert", "commitTransaction"]
    assert await db["outbox"].count_documents({"_id": "o-2-event"}) == 1
    assert await db["timeline"].count_documents({"_id": "o-2-entry"}) == 1
    assert await db["records"].count_documents({"_id": "o-2-key"}) == 1


async def test_a_write_held_by_an_attempt_that_failed_is_never_written(
    watched: tuple[AsyncDatabase[Document], _Commands],
) -> None:
    db, _ = watched
    attempts = 0

    async def work(session: Session) -> None:
        nonlocal attempts
        attempts += 1
        await db["orders"].find_one({"_id": "o-1"}, session=session)
        await write_behind.write(session, Inserts(db["outbox"], [{"_id": f"attempt-{attempts}"}]))
        await write_behind.write(session, Inserts(db["records"], [{"_id": f"attempt-{attempts}"}]))
        if attempts == 1:
            # A transient failure after the writes were held: the whole work runs again
            raise _transient()

    await run_in_transaction(db.client, work)

    # Then only the attempt that committed wrote anything
    assert attempts == 2
    assert [row["_id"] async for row in db["outbox"].find({})] == ["attempt-2"]
    assert [row["_id"] async for row in db["records"].find({})] == ["attempt-2"]


async def test_a_held_write_refused_at_the_commit_raises_what_it_means_to_its_caller_and_nothing_commits(
    watched: tuple[AsyncDatabase[Document], _Commands],
) -> None:
    db, commands = watched
    await db["records"].insert_one({"_id": "o-1-key"})  # another request with this key answered first

    def answered_first(error: PyMongoError) -> BaseException | None:
        return _AnsweredFirst() if isinstance(error, DuplicateKeyError) else None

    async def work(session: Session) -> None:
        await db["orders"].update_one({"_id": "o-1"}, {"$set": {"status": "funded"}}, session=session)
        await write_behind.write(session, Inserts(db["outbox"], [{"_id": "o-1-event"}]))
        await write_behind.write(
            session, Inserts(db["records"], [{"_id": "o-1-key"}], refused=answered_first)
        )

    # When the held record meets the stored one at the commit
    with pytest.raises(_AnsweredFirst):
        await run_in_transaction(db.client, work)

    # Then it was found in the one bulkWrite, and nothing of the transaction committed
    assert "bulkWrite" in commands.names
    assert "commitTransaction" not in commands.names
    assert await db["orders"].find_one({"_id": "o-1"}) == {"_id": "o-1", "status": "placed"}
    assert await db["outbox"].count_documents({}) == 0


async def test_a_write_conflict_met_at_the_commit_runs_the_transaction_again(
    mongo_client: AsyncMongoClient[Document], watched: tuple[AsyncDatabase[Document], _Commands]
) -> None:
    db, _ = watched
    # Given another transaction, still open, that wrote the record this one will hold
    other = mongo_client.start_session()
    await other.start_transaction(
        read_concern=ReadConcern("snapshot"), write_concern=WriteConcern("majority")
    )
    await mongo_client[db.name]["records"].insert_one({"_id": "o-1-key", "by": "other"}, session=other)
    attempts = 0

    async def work(session: Session) -> None:
        nonlocal attempts
        attempts += 1
        if attempts == 2:
            await other.abort_transaction()  # the other one gave up: the record is free again
        await db["orders"].update_one({"_id": "o-1"}, {"$set": {"status": "funded"}}, session=session)
        await write_behind.write(session, Inserts(db["outbox"], [{"_id": "o-1-event"}]))
        await write_behind.write(session, Inserts(db["records"], [{"_id": "o-1-key", "by": "this"}]))

    try:
        await run_in_transaction(db.client, work)
    finally:
        await other.end_session()

    # Then the conflict, met in the bulkWrite, was retried like any other, and the second attempt committed
    assert attempts == 2
    assert await db["records"].find_one({"_id": "o-1-key"}) == {"_id": "o-1-key", "by": "this"}
    assert await db["orders"].find_one({"_id": "o-1"}) == {"_id": "o-1", "status": "funded"}


async def test_a_write_outside_a_transaction_is_sent_at_once(
    watched: tuple[AsyncDatabase[Document], _Commands],
) -> None:
    db, commands = watched

    await write_behind.write(None, Inserts(db["records"], [{"_id": "refusal-key"}]))

    assert commands.names == ["insert"]
    assert await db["records"].count_documents({"_id": "refusal-key"}) == 1


def _transient() -> PyMongoError:
    error = PyMongoError("a transient failure")
    error._add_error_label("TransientTransactionError")
    return error
