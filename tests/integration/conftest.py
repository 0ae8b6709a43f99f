from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from shared.messaging.subscription import Subscription
from shared.mongo import Document
from shared.platform import Platform
from tests.support.infra import BrokerVhost, MongoServer
from tests.support.toy import toy_settings

PlatformFactory = Callable[..., Awaitable[Platform]]


@pytest.fixture
async def make_platform(
    mongo_server: MongoServer,
    mongo_client: AsyncMongoClient[Document],
    broker: BrokerVhost,
    namespace: str,
) -> AsyncIterator[PlatformFactory]:
    """Start toy services on the real broker and database; each gets its own database.

    `subscribe` builds the subscriptions from the platform, as a service's composition root does.
    """
    started: list[Platform] = []
    databases: list[str] = []

    async def start(
        service: str,
        subscribe: Callable[[Platform], Sequence[Subscription]] = lambda _: (),
        **overrides: Any,
    ) -> Platform:
        database = overrides.pop("mongo_db", None) or f"t_{service}_{uuid.uuid4().hex[:8]}"
        databases.append(database)
        settings = toy_settings(
            service=service,
            mongo_url=mongo_server.url,
            db=database,
            amqp_url=broker.url,
            namespace=namespace,
            **overrides,
        )
        platform = Platform(settings)
        await platform.start(subscriptions=subscribe(platform))
        started.append(platform)
        return platform

    yield start
    for platform in started:
        if platform.connection is not None and not platform.connection.is_closed:
            await platform.stop()
    for database in databases:
        await mongo_client.drop_database(database)
