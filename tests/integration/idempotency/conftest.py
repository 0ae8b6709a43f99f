"""The toy payments desk served in-process over a real MongoDB-wire server, on a clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pymongo.asynchronous.database import AsyncDatabase

from shared.clock import ManualClock
from shared.http.idempotency import IDEMPOTENCY_INDEXES
from shared.mongo import Document, ensure_indexes
from shared.security.keys import DevKeys, ensure_dev_keys
from tests.support.payments_desk import Client, PaymentsDesk, desk_verifier, payments_app


@pytest.fixture
def keys(tmp_path: Path) -> DevKeys:
    return ensure_dev_keys(tmp_path / "keys")


@pytest.fixture
def clock() -> ManualClock:
    # Now, not ManualClock's fixed date: the server's TTL monitor judges `created_at` by its own clock, and
    # removed the records of a clock 11 months behind while a test still used them (a held request then
    # found its record gone when it stored its answer, and was refused 409).
    return ManualClock(datetime.now(UTC))


@pytest.fixture
def desk(db: AsyncDatabase[Document]) -> PaymentsDesk:
    return PaymentsDesk(db)


@pytest.fixture
async def client(
    db: AsyncDatabase[Document], keys: DevKeys, desk: PaymentsDesk, clock: ManualClock
) -> AsyncIterator[Client]:
    await ensure_indexes(db, [IDEMPOTENCY_INDEXES])
    async with TestClient(TestServer(payments_app(db, desk, desk_verifier(keys), clock))) as test_client:
        yield test_client
