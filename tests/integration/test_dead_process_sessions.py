"""A transaction that a killed process left open is ended by its successor or its peers within seconds,
not held until the database's transaction lifetime (60 s) runs out (shared/sessions.py)."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
import uuid

import pymongo
import pytest
from pymongo import AsyncMongoClient
from pymongo.errors import OperationFailure

from deploy.local.polling import eventually
from deploy.local.servers import MongoServer
from deploy.local.vhosts import BrokerVhost
from shared.mongo import Document, Session
from shared.platform import Platform
from shared.sessions import SESSIONS
from tests.integration.conftest import PlatformFactory
from tests.support.transaction_victim import HELD

# Far below the database's transaction lifetime (SecantusDB's and mongod's default: 60 s).
PROMPTLY = 15.0


async def killed_inside_a_transaction(
    mongo: MongoServer, db: str, broker: BrokerVhost, namespace: str, replica: str
) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.transaction_victim",
        mongo.url,
        db,
        broker.url,
        namespace,
        replica,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    async for line in process.stdout:  # its log lines, then the sign that it holds the document
        if line == b"holding\n":
            break
    assert await process.wait() == -signal.SIGKILL


async def writable(client: AsyncMongoClient[Document], db: str) -> bool:
    """Whether a transaction can write the document the victim held (a write conflict while it is held)."""
    try:
        with pymongo.timeout(2):
            async with client.start_session() as session, await session.start_transaction():
                await client[db]["effects"].update_one(
                    {"_id": HELD}, {"$set": {"free": True}}, session=session
                )
    except OperationFailure as error:
        if error.code != 112:
            raise
        return False
    return True


@pytest.fixture
async def held_by_a_dead_process(
    mongo_server: MongoServer, mongo_client: AsyncMongoClient[Document], broker: BrokerVhost, namespace: str
) -> str:
    """A database whose document `held` a process (replica `toyvictim-1`) wrote in a transaction it never
    ended: it was SIGKILLed inside it."""
    db = f"t_victim_{uuid.uuid4().hex[:8]}"
    await mongo_client[db]["effects"].insert_one({"_id": HELD, "applied": 0})
    await killed_inside_a_transaction(mongo_server, db, broker, namespace, "toyvictim-1")
    assert not await writable(mongo_client, db)
    return db


async def test_a_process_restarted_under_its_name_ends_the_transaction_its_predecessor_left_open(
    make_platform: PlatformFactory, mongo_client: AsyncMongoClient[Document], held_by_a_dead_process: str
) -> None:
    db = held_by_a_dead_process

    # When the process restarts under the same replica name
    await make_platform("toyvictim", mongo_db=db, replica="toyvictim-1")

    # Then the document is free at once, and the dead process's write never happened
    assert await writable(mongo_client, db)
    assert await mongo_client[db]["effects"].find_one({"_id": HELD}) == {
        "_id": HELD,
        "applied": 0,
        "free": True,
    }


async def test_a_peer_ends_the_transaction_a_dead_process_left_open_once_its_heartbeat_stopped(
    make_platform: PlatformFactory, mongo_client: AsyncMongoClient[Document], held_by_a_dead_process: str
) -> None:
    db = held_by_a_dead_process
    killed_at = time.monotonic()

    # When another replica runs beside it (the dead one never comes back)
    await make_platform("toyvictim", mongo_db=db, replica="toyvictim-2", process_heartbeat_seconds=0.2)

    # Then the document is freed once the dead process's record has missed its beats, well before the
    # database's transaction lifetime, and the dead process's record is gone
    async def freed() -> bool:
        return await writable(mongo_client, db)

    await eventually(freed, timeout=PROMPTLY, interval=0.2)
    assert time.monotonic() - killed_at < PROMPTLY
    assert [record["_id"] async for record in mongo_client[db][SESSIONS].find()] == ["toyvictim-2"]


async def test_a_live_process_keeps_its_record_and_its_sessions(
    make_platform: PlatformFactory, mongo_client: AsyncMongoClient[Document]
) -> None:
    # Given two live replicas beating fast
    first = await make_platform("toylive", replica="toylive-1", process_heartbeat_seconds=0.1)
    second = await make_platform(
        "toylive", mongo_db=first.settings.mongo_db, replica="toylive-2", process_heartbeat_seconds=0.1
    )

    # When both run transactions over many beats
    for _ in range(10):
        for replica in (first, second):

            async def work(session: Session, replica: Platform = replica) -> None:
                effects = replica.db["effects"]
                await effects.update_one({"_id": "x"}, {"$inc": {"n": 1}}, upsert=True, session=session)

            await replica.transaction(work)
        await asyncio.sleep(0.1)

    # Then neither ended the other's record: both are there, each with the sessions it used
    records = {
        record["_id"]: record async for record in mongo_client[first.settings.mongo_db][SESSIONS].find()
    }
    assert set(records) == {"toylive-1", "toylive-2"}
    assert all(record["lsids"] for record in records.values())
    assert (await first.db["effects"].find_one({"_id": "x"}) or {}).get("n") == 20
