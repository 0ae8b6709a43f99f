"""The four services and the console as real processes (the local stack) on free ports, one stack per
test session."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from deploy.local.stack import LocalStack
from deploy.local.vhosts import BrokerVhost


@pytest.fixture(scope="session")
async def stack(broker: BrokerVhost, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LocalStack]:
    home: Path = tmp_path_factory.mktemp("stack")
    platform = LocalStack.beside_others(
        home,
        amqp_url=broker.url,
        namespace=f"e2e{uuid.uuid4().hex[:6]}",
        console=True,  # the operators' desk, driven in a browser by tests/e2e/console
        # Classic queues keep the shared test broker light; the messaging tests prove quorum behaviour.
        extra_env={
            "RETRY_DELAYS_MS": "[200, 1000]",
            "RELAY_SWEEP_SECONDS": "1",
            "AMQP_QUEUE_TYPE": "classic",
        },
    )
    try:
        await platform.start()
        yield platform
    finally:
        await platform.stop()
