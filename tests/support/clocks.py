"""A test clock for services started in sandbox mode."""

from __future__ import annotations

from datetime import datetime

from shared.clock import TestClock


class FrozenTestClock(TestClock):
    """A sandbox test clock that does not tick by itself: time moves only when a test advances it.

    The platform's sandbox clock insists on a `TestClock`, so a plain ManualClock cannot be used here.
    """

    def __init__(self, start: datetime) -> None:
        super().__init__()
        self._start = start

    def now(self) -> datetime:
        return self._start + self.offset
