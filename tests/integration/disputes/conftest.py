from __future__ import annotations

import pytest

from tests.integration.disputes.journey import Disputes, start_disputes
from tests.support.services import EventInjector, StartService, Tokens


@pytest.fixture
async def disputes(start_service: StartService, tokens: Tokens, inject: EventInjector) -> Disputes:
    return await start_disputes(start_service, tokens, inject)
