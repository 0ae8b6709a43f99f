"""The security suite runs against the local stack (four service processes, per-service broker users)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from deploy.local.client import PlatformClient
from deploy.local.stack import LocalStack
from tests.e2e.conftest import stack
from tests.security.trade import Trade, open_trade

__all__ = ["stack"]


@pytest.fixture(scope="session")
async def client(stack: LocalStack) -> AsyncIterator[PlatformClient]:
    async with PlatformClient.for_stack(stack) as platform:
        yield platform


@pytest.fixture(scope="session")
async def trade(client: PlatformClient) -> Trade:
    """Every kind of object the services own, created once by their rightful owners."""
    return await open_trade(client)
