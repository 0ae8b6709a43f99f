"""Escrow's handlers over in-memory stores: no database, no broker, a clock the test moves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.clock import ManualClock
from tests.property.escrow.harness import EscrowHandlers


@pytest.fixture
def escrow() -> EscrowHandlers:
    return EscrowHandlers(ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)))
