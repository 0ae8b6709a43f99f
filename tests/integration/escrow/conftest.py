from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from services.escrow.app import build_app
from services.escrow.settings import EscrowSettings
from shared.security.keys import DevKeys, ensure_dev_keys
from tests.support.clocks import FrozenTestClock
from tests.support.services import EventInjector, StartService, Tokens

from .support import Escrow, start_of_test

StartEscrow = Callable[..., Awaitable[Escrow]]


@pytest.fixture(scope="session")
def quote_keys(tmp_path_factory: pytest.TempPathFactory) -> DevKeys:
    """The key pair catalog signs quotes with; escrow trusts its public half."""
    return ensure_dev_keys(tmp_path_factory.mktemp("quote-keys"))


@pytest.fixture
def start_escrow(
    start_service: StartService, tokens: Tokens, quote_keys: DevKeys, inject: EventInjector
) -> StartEscrow:
    async def start(**overrides: Any) -> Escrow:
        clock = FrozenTestClock(start_of_test())
        values: dict[str, Any] = {
            "sandbox": True,
            "quote_public_keys_file": quote_keys.public_keys_path,
            # Tests sweep timers themselves, at the instant they choose.
            "timer_interval_seconds": 3600.0,
            **overrides,
        }
        service = await start_service(build_app, EscrowSettings, clock=clock, **values)
        settings = service.platform.settings
        assert isinstance(settings, EscrowSettings)
        return Escrow(service, tokens, quote_keys, inject, clock, settings)

    return start
