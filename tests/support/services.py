"""Run one real service in-process for integration tests: real HTTP over TCP, real broker, real MongoDB.

async def test_x(start_service: StartService, tokens: Tokens) -> None:
    escrow = await start_service(build_app, EscrowSettings, clock=ManualClock(NOW))
    response = await escrow.call("POST", "/v1/orders", json={...}, token=tokens.buyer("b-1"))
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import aio_pika
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer

from shared.clock import Clock
from shared.messaging.envelope import Envelope, Event
from shared.messaging.outbox import OUTBOX
from shared.messaging.topology import Topology, persistent_message
from shared.platform import Platform
from shared.security.keys import DevKeys, mint_token
from shared.service import PLATFORM
from shared.settings import LOAD_TEST_RATE_LIMITS, ServiceSettings


class BuildApp(Protocol):
    def __call__(self, settings: Any, *, clock: Clock | None = None) -> web.Application: ...


@dataclass
class Tokens:
    """Development tokens signed by the test key pair the services trust."""

    keys: DevKeys
    audience: str = "tradeguard"
    issuer: str = "tradeguard-dev-idp"

    def mint(self, sub: str, role: str, tier: str | None = None) -> str:
        return mint_token(
            self.keys.private_key_path,
            sub=sub,
            role=role,
            tier=tier,
            audience=self.audience,
            issuer=self.issuer,
        )

    def buyer(self, sub: str, tier: str = "standard") -> str:
        return self.mint(sub, "buyer", tier)

    def supplier(self, sub: str) -> str:
        return self.mint(sub, "supplier")

    def ops(self, sub: str, role: str) -> str:
        return self.mint(sub, role)


@dataclass
class RunningService:
    client: TestClient[web.Request, web.Application]
    platform: Platform

    async def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json: Any = None,
        params: dict[str, str] | None = None,
        idempotency_key: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> ClientResponse:
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if idempotency_key is not None:
            sent["Idempotency-Key"] = idempotency_key
        return await self.client.request(method, path, json=json, params=params, headers=sent)

    async def published(self, event_type: str) -> list[dict[str, Any]]:
        """Payloads of the events of this type the service recorded in its outbox, oldest first."""
        rows = await self.platform.db[OUTBOX].find({"envelope.type": event_type}).sort("seq").to_list()
        return [row["envelope"]["payload"] for row in rows]


StartService = Callable[..., Awaitable[RunningService]]


def service_settings(
    settings_cls: type[ServiceSettings],
    *,
    mongo_url: str,
    amqp_url: str,
    namespace: str,
    keys_file: Path,
    **overrides: Any,
) -> ServiceSettings:
    values: dict[str, Any] = {
        "mongo_url": mongo_url,
        "mongo_db": f"t_{settings_cls.SERVICE}_{uuid.uuid4().hex[:8]}",
        "amqp_url": amqp_url,
        "amqp_namespace": namespace,
        "jwt_public_keys_file": keys_file,
        "retry_delays_ms": [50, 100],
        # Service tests prove domain rules, not queue replication: classic queues keep the shared test
        # broker light (tests/integration/test_messaging_* prove the platform on quorum queues).
        "amqp_queue_type": "classic",
        "relay_sweep_seconds": 0.5,
        **{name.lower(): value for name, value in LOAD_TEST_RATE_LIMITS.items()},
        "shutdown_grace_seconds": 5.0,
    }
    values.update(overrides)
    return settings_cls.model_validate(values)


async def start_running_service(
    build_app: BuildApp, settings: ServiceSettings, clock: Clock | None
) -> RunningService:
    app = build_app(settings, clock=clock)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return RunningService(client=client, platform=app[PLATFORM])


class EventInjector:
    """Publishes another service's events onto the broker, as that service's relay would."""

    def __init__(self, amqp_url: str, namespace: str) -> None:
        self._amqp_url = amqp_url
        self._topology = Topology(
            namespace=namespace, service="tests", retry_delays_ms=(), queue_type="classic"
        )
        self._connection: aio_pika.abc.AbstractRobustConnection | None = None
        self._channel: aio_pika.abc.AbstractChannel | None = None

    async def publish(
        self, event: Event, *, correlation_id: str = "test", occurred_at: datetime | None = None
    ) -> Envelope:
        if self._connection is None:
            self._connection = await aio_pika.connect_robust(self._amqp_url)
            self._channel = await self._connection.channel(publisher_confirms=True)
        assert self._channel is not None
        envelope = Envelope.wrap(
            event, occurred_at=occurred_at or datetime.now(UTC), correlation_id=correlation_id
        )
        exchange = await self._topology.declare_events_exchange(self._channel, event.producer())
        await exchange.publish(
            persistent_message(
                envelope.model_dump_json().encode(),
                message_id=str(envelope.message_id),
                message_type=envelope.type,
                correlation_id=correlation_id,
            ),
            routing_key=envelope.routing_key,
        )
        return envelope

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
