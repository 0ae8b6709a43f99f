"""A service whose database is gone stays up: it answers 503 `database-unavailable` with Retry-After, says
it is not ready, recovers by itself when the database is back on the same data, and still stops on SIGTERM
within 10 s.

A real service process (catalog) over its own SecantusDB process, which the tests SIGKILL or SIGSTOP.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from deploy.local.polling import eventually
from deploy.local.servers import free_port
from deploy.local.stack import LocalStack
from deploy.local.vhosts import BrokerVhost
from shared.security.keys import ensure_dev_keys, mint_token

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("MONGO_URL")), reason="strikes the stack's own database server, not MONGO_URL's"
)

SERVICE = "catalog"
SHUTDOWN_BOUND_SECONDS = 10.0
StartStack = Callable[[], Awaitable[LocalStack]]


@pytest.fixture
async def start_stack(broker: BrokerVhost, tmp_path: Path) -> AsyncIterator[StartStack]:
    stacks: list[LocalStack] = []

    async def start() -> LocalStack:
        stack = LocalStack(
            home=tmp_path / f"stack{len(stacks)}",
            amqp_url=broker.url,
            namespace=f"t{uuid.uuid4().hex[:10]}",
            ports={SERVICE: free_port()},
            mongo_ports={SERVICE: free_port()},
            console_port=None,
            extra_env={"AMQP_QUEUE_TYPE": "classic"},
        )
        stacks.append(stack)
        await stack.start()
        return stack

    yield start
    for stack in stacks:
        for process in stack.processes:
            process.signal(signal.SIGCONT)
        await stack.stop()


class Catalog:
    """Calls to the lone service as a supplier would make them."""

    def __init__(self, stack: LocalStack, session: aiohttp.ClientSession) -> None:
        self.url = stack.url(SERVICE)
        self.session = session
        self.token = mint_token(
            ensure_dev_keys(stack.home / "keys").private_key_path,
            sub=f"supplier-{uuid.uuid4().hex[:8]}",
            role="supplier",
            audience="tradeguard",
            issuer="tradeguard-dev-idp",
        )

    async def call(self, method: str, path: str, **options: Any) -> tuple[int, dict[str, str], Any]:
        headers = {"Authorization": f"Bearer {self.token}", **options.pop("headers", {})}
        async with self.session.request(
            method, self.url + path, headers=headers, timeout=aiohttp.ClientTimeout(total=30), **options
        ) as response:
            return response.status, dict(response.headers), await response.json(content_type=None)

    async def register(self, key: str) -> tuple[int, dict[str, str], Any]:
        body = {"legal_name": "Outage Works", "country": "DE", "year_established": 2001}
        body |= {"staff_count": 10, "factory_size_m2": 100}
        return await self.call("POST", "/v1/suppliers", json=body, headers={"Idempotency-Key": key})


async def _strike(stack: LocalStack, fault: str) -> Callable[[], Awaitable[None]]:
    """Take the service's database away; returns how to bring it back."""
    database = stack.database_of(SERVICE)
    if fault == "killed":
        await database.kill()
        return lambda: stack.restart_database(SERVICE)

    database.signal(signal.SIGSTOP)

    async def resume() -> None:
        database.signal(signal.SIGCONT)

    return resume


@pytest.mark.parametrize("fault", ["killed", "paused"])
async def test_without_its_database_a_service_answers_503_with_retry_after_and_recovers_by_itself(
    start_stack: StartStack, fault: str
) -> None:
    stack = await start_stack()
    async with aiohttp.ClientSession() as session:
        catalog, earlier = Catalog(stack, session), Catalog(stack, session)
        status, _, before = await earlier.register(uuid.uuid4().hex)
        assert status == 201

        # Given the database gone (killed, or paused as a partition looks from the service)
        bring_back = await _strike(stack, fault)

        # Then reads and writes answer 503 database-unavailable with Retry-After, promptly, and /readyz is 503
        started = time.monotonic()
        status, headers, problem = await catalog.call("GET", f"/v1/suppliers/{before['id']}")
        assert (status, problem["type"]) == (503, "https://tradeguard.dev/problems/database-unavailable")
        assert headers["Content-Type"].startswith("application/problem+json")
        assert int(headers["Retry-After"]) >= 1
        key = uuid.uuid4().hex
        status, headers, problem = await catalog.register(key)
        assert (status, problem["type"]) == (503, "https://tradeguard.dev/problems/database-unavailable")
        assert "Retry-After" in headers
        assert time.monotonic() - started < 15, "a request waited on the missing database too long"
        async with session.get(stack.url(SERVICE) + "/readyz") as response:
            assert response.status == 503
            assert (await response.json(content_type=None))["checks"]["mongo"] is False
        assert stack.process(SERVICE).running

        # When the database comes back on the same data
        await bring_back()

        # Then the service is ready again without a restart, and what it held before is still there
        async def ready() -> bool:
            async with session.get(stack.url(SERVICE) + "/readyz") as response:
                return response.status == 200

        await eventually(ready, timeout=30)
        status, _, found = await catalog.call("GET", f"/v1/suppliers/{before['id']}")
        assert status == 200, found
        assert found["profile"]["legal_name"] == "Outage Works"
        # and the write refused during the outage left nothing behind: its retry runs now, once
        status, _, created = await catalog.register(key)
        assert status == 201
        status, headers, replayed = await catalog.register(key)
        assert (status, replayed, headers.get("Idempotent-Replayed")) == (201, created, "true")


@pytest.mark.parametrize("fault", ["killed", "paused"])
async def test_a_service_whose_database_is_gone_exits_on_sigterm_within_10_seconds(
    start_stack: StartStack, fault: str
) -> None:
    stack = await start_stack()
    service = stack.process(SERVICE)
    assert service.process is not None
    await _strike(stack, fault)

    started = time.monotonic()
    service.signal(signal.SIGTERM)
    code = await asyncio.wait_for(asyncio.to_thread(service.process.wait), 30)
    took = time.monotonic() - started

    assert took <= SHUTDOWN_BOUND_SECONDS, f"shutdown took {took:.1f}s with the database {fault}"
    assert code == 0
