"""The three kinds of failure every service's errors derive from; HTTP and messaging treat each kind alike.

- `Rejected`: a rule refused the request. Asking again changes nothing: a 4xx over HTTP (the service's
  error map says which), and a message whose handler raises it is parked at once.
- `Conflict`: the state changed concurrently, or has not caught up yet (an event that overtook the one it
  depends on). Asking again may succeed: 409 over HTTP, and a message is retried through the wait tiers.
- `Transient`: a dependency failed for now (an unreachable provider): 503 over HTTP, and a message is retried.

Anything else a handler raises is a bug or an infrastructure failure: a message is retried, HTTP says 500.
"""

from __future__ import annotations

from typing import ClassVar


class _Failure(Exception):
    """`code` is stable across releases (it becomes the problem type); `message` is for humans."""

    code: ClassVar[str]
    # Set when asking again soon is expected to succeed (a read model catching up): HTTP's `Retry-After`.
    retry_after_seconds: ClassVar[int | None] = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Rejected(_Failure):
    """A rule refused the request; the same request would be refused again."""

    code = "rejected"


class Conflict(_Failure):
    """Someone else changed the state first, or it has not caught up yet; retrying may succeed."""

    code = "concurrent_change"


class Transient(_Failure):
    """A dependency is unavailable for now; retrying later may succeed."""

    code = "unavailable"
