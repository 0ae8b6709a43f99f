"""A request's database deadline: work past it fails as `database-unavailable`, and its transaction is
aborted on the server all the same, so the retry does not meet its writes still locked."""

from __future__ import annotations

import asyncio

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from deploy.local.servers import MongoServer
from shared.mongo import (
    DatabaseUnavailable,
    Document,
    Session,
    connect,
    database_deadline,
    run_in_transaction,
)


async def test_a_transaction_past_its_deadline_is_aborted_and_its_retry_commits_at_once(
    mongo_server: MongoServer, mongo_client: AsyncMongoClient[Document], db: AsyncDatabase[Document]
) -> None:
    await db["orders"].insert_one({"_id": "o-1", "status": "placed"})

    async def slow_write(session: Session) -> None:
        await db["orders"].update_one({"_id": "o-1"}, {"$set": {"status": "slow"}}, session=session)
        await asyncio.sleep(0.3)  # the work outlives its deadline (a stalled handler, a paused server)
        await db["orders"].find_one({"_id": "o-1"}, session=session)

    # Given a request whose transaction ran past its database deadline, its write left uncommitted
    with pytest.raises(DatabaseUnavailable), database_deadline(0.2):
        await run_in_transaction(mongo_client, slow_write)

    # Then its retry on another replica (another client: none of the first one's sessions), under a
    # deadline of its own, commits: the abandoned transaction holds nothing.
    other = connect(mongo_server.url, app_name="another-replica")
    try:
        orders = other[db.name]["orders"]

        async def retry(session: Session) -> None:
            await orders.update_one({"_id": "o-1"}, {"$set": {"status": "funded"}}, session=session)

        with database_deadline(2.0):
            await run_in_transaction(other, retry)
    finally:
        await other.close()
    assert await db["orders"].find_one({"_id": "o-1"}) == {"_id": "o-1", "status": "funded"}
