"""A running catalog per test (real HTTP, broker, MongoDB) on a manual clock, with quote-signing keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from services.catalog.app import build_app
from services.catalog.settings import CatalogSettings
from shared.security.keys import ensure_dev_keys
from tests.integration.catalog.support import NOW, Catalog
from tests.support.clocks import FrozenTestClock
from tests.support.services import StartService, Tokens


@pytest.fixture(scope="session")
def quote_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_dev_keys(tmp_path_factory.mktemp("quote-keys")).private_key_path


@pytest.fixture
def catalog_overrides() -> dict[str, Any]:
    """Settings a test module may override (e.g. a policy number)."""
    return {}


@pytest.fixture
async def catalog(
    start_service: StartService, tokens: Tokens, quote_keys: Path, catalog_overrides: dict[str, Any]
) -> Catalog:
    clock = FrozenTestClock(NOW)
    service = await start_service(
        build_app,
        CatalogSettings,
        clock=clock,
        sandbox=True,  # the sandbox rate provider: quotes convert at its rates
        quote_signing_key_file=quote_keys,
        **catalog_overrides,
    )
    return Catalog(service=service, tokens=tokens, clock=clock, quote_keys=quote_keys)
