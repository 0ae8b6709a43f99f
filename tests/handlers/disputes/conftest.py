"""Disputes' handlers over in-memory stores: no database, no broker, a clock the test moves."""

from __future__ import annotations

import pytest

from shared.clock import ManualClock
from tests.integration.disputes.journey import NOW
from tests.support.fakes.disputes import FakeDisputes


@pytest.fixture
def disputes() -> FakeDisputes:
    return FakeDisputes(ManualClock(NOW))
