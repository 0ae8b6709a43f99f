from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from bench.toy import toy_settings
from deploy.local.servers import MongoServer
from deploy.local.vhosts import BrokerVhost
from shared.clock import Clock
from shared.messaging.subscription import Subscription
from shared.mongo import Document
from shared.platform import Platform
from shared.security.keys import ensure_dev_keys
from shared.settings import ServiceSettings
from tests.support.services import (
    BuildApp,
    EventInjector,
    RunningService,
    StartService,
    Tokens,
    service_settings,
    start_running_service,
)

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


@pytest.fixture(scope="session")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> Tokens:
    return Tokens(ensure_dev_keys(tmp_path_factory.mktemp("keys")))


@pytest.fixture
async def start_service(
    mongo_server: MongoServer,
    mongo_client: AsyncMongoClient[Document],
    broker: BrokerVhost,
    namespace: str,
    tokens: Tokens,
) -> AsyncIterator[StartService]:
    """Start a real service (HTTP over TCP, broker, database) with test settings; stopped after the test.

    Services started in one test share a broker namespace, so they hear each other's events.
    """
    running: list[RunningService] = []

    async def start(
        build_app: BuildApp,
        settings_cls: type[ServiceSettings],
        *,
        clock: Clock | None = None,
        **overrides: Any,
    ) -> RunningService:
        settings = service_settings(
            settings_cls,
            mongo_url=mongo_server.url,
            amqp_url=broker.url,
            namespace=namespace,
            keys_file=tokens.keys.public_keys_path,
            **overrides,
        )
        service = await start_running_service(build_app, settings, clock)
        running.append(service)
        return service

    yield start
    for service in reversed(running):
        database = service.platform.settings.mongo_db
        await service.client.close()
        await mongo_client.drop_database(database)


@pytest.fixture
async def inject(broker: BrokerVhost, namespace: str) -> AsyncIterator[EventInjector]:
    """Publish events of other services (escrow, logistics, …) into this test's namespace."""
    injector = EventInjector(broker.url, namespace)
    yield injector
    await injector.close()
