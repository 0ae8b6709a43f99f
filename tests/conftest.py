"""Real infrastructure for tests: one MongoDB-wire server per session, a fresh RabbitMQ vhost per session.

Each test gets its own database and its own broker namespace, so tests run in any order.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from deploy.local.servers import MongoServer, start_mongo_server
from deploy.local.vhosts import BrokerVhost, temporary_vhost
from shared.mongo import Document, connect


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MongoServer]:
    if url := os.environ.get("MONGO_URL"):
        yield MongoServer(url=url, process=None)
        return
    server = start_mongo_server(tmp_path_factory.mktemp("mongo"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
async def mongo_client(mongo_server: MongoServer) -> AsyncIterator[AsyncMongoClient[Document]]:
    client = connect(mongo_server.url, app_name="tests")
    yield client
    await client.close()


@pytest.fixture
async def db(mongo_client: AsyncMongoClient[Document]) -> AsyncIterator[AsyncDatabase[Document]]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield mongo_client[name]
    await mongo_client.drop_database(name)


@pytest.fixture(scope="session")
def broker() -> Iterator[BrokerVhost]:
    with temporary_vhost(os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")) as vhost:
        yield vhost


@pytest.fixture
def namespace() -> str:
    """A unique prefix for this test's exchanges and queues."""
    return f"t{uuid.uuid4().hex[:10]}"
