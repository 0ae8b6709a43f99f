"""The catalog's handlers over in-memory stores: no database, no broker, a clock the test moves."""

from __future__ import annotations

import pytest

from shared.clock import ManualClock
from tests.support.fakes.catalog import FakeCatalog
from tests.unit.catalog.builders import NOW


@pytest.fixture
def catalog() -> FakeCatalog:
    return FakeCatalog(ManualClock(NOW))
