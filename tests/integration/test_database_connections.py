"""A process opens at most `database_max_connections` to its database: work beyond waits in the process,
within its deadline, instead of piling onto a server that is already slow (shared.mongo.connect)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from deploy.local.polling import eventually
from deploy.local.servers import MongoServer
from shared.mongo import Document, connect, database_deadline, is_unavailable

BOUND = 2


async def _updates_on_the_server(admin_client: AsyncMongoClient[Document], app_name: str) -> int:
    """Updates of clients named `app_name` that the server is running (each holds a connection)."""
    report = await admin_client.admin.command({"currentOp": 1})
    return sum(
        1
        for operation in report["inprog"]
        if operation.get("clientMetadata", {}).get("application", {}).get("name") == app_name
        and operation.get("op") == "update"
    )


async def test_with_all_its_connections_busy_a_process_waits_for_one_instead_of_opening_another(
    mongo_server: MongoServer, mongo_client: AsyncMongoClient[Document], db: AsyncDatabase[Document]
) -> None:
    await db["orders"].insert_one({"_id": "o-1", "n": 0})
    app_name = f"bounded-{uuid.uuid4().hex[:8]}"
    bounded = connect(mongo_server.url, app_name=app_name, max_connections=BOUND)
    orders = bounded[db.name]["orders"]
    # Given a transaction of another process holding the order, so that writes to it wait on the server
    async with mongo_client.start_session() as holder:
        await holder.start_transaction()
        await db["orders"].update_one({"_id": "o-1"}, {"$inc": {"n": 1}}, session=holder)
        # and five writes of the bounded process waiting behind it, more than it has connections
        waiting = [
            asyncio.create_task(orders.update_one({"_id": "o-1"}, {"$inc": {"n": 1}})) for _ in range(5)
        ]
        try:
            await eventually(lambda: _bound_reached(mongo_client, app_name), timeout=10)

            # When the process asks its database for more, within a deadline
            with pytest.raises(PyMongoError) as asked, database_deadline(0.5):
                await orders.find_one({"_id": "o-1"})

            # Then it waited for one of its own connections and gave up at the deadline, and the writes
            # beyond its bound are still waiting in the process, not on the server
            assert is_unavailable(asked.value)
            assert await _updates_on_the_server(mongo_client, app_name) == BOUND
        finally:
            await holder.abort_transaction()
        # and every write that waited is applied once the order is free
        await asyncio.gather(*waiting)
    assert await db["orders"].find_one({"_id": "o-1"}) == {"_id": "o-1", "n": 5}
    await bounded.close()


async def _bound_reached(admin_client: AsyncMongoClient[Document], app_name: str) -> bool:
    return await _updates_on_the_server(admin_client, app_name) >= BOUND
