"""The correlation of the work in progress: bound where work enters a service, read where events are recorded.

An HTTP request binds its `X-Correlation-ID`; a message binds its envelope's correlation, and itself as the
cause of what its handler records; a timer binds `timer:<name>:<document id>`. Log lines carry it too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from shared.logging import bound


@dataclass(frozen=True)
class Correlation:
    correlation_id: str
    causation_id: str | None = None


_CURRENT: ContextVar[Correlation | None] = ContextVar("correlation", default=None)


@contextmanager
def correlated(correlation_id: str, *, causation_id: str | None = None) -> Iterator[None]:
    """Events recorded inside the block (and in the tasks it starts) carry this correlation and cause."""
    token = _CURRENT.set(Correlation(correlation_id, causation_id))
    try:
        with bound(correlation_id=correlation_id):
            yield
    finally:
        _CURRENT.reset(token)


def current_correlation() -> Correlation:
    """The bound correlation; work that entered by no request, message or timer (a script) starts its own."""
    return _CURRENT.get() or Correlation(str(uuid.uuid4()))
