"""Per-token rate limits: a token bucket per subject, in each replica; over it, 429 with `Retry-After`.

Each replica limits each subject on its own (no shared store on the request path): a caller spread over N
replicas gets at most N times the rate, and the gateway's global limit (deploy/k8s/gateway) bounds the sum.
Requests without a valid bearer token are not counted here: the route refuses them, and the gateway's
limit by client address is what holds back a flood of them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import structlog
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from shared.http.problems import Problem
from shared.http.routes import AUTHENTICATED, VERIFIER
from shared.security.jwt import TokenRejected

RATE_LIMITED = "rate-limited"
# Buckets of subjects idle long enough to have filled up again are dropped past this many: a full bucket
# is what a new subject gets anyway, so forgetting one changes nothing but memory.
MAX_TRACKED_SUBJECTS = 10_000

log = structlog.get_logger("shared.http")


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """`burst` requests at once per subject, refilled at `per_second`; time from an injectable clock."""

    def __init__(self, *, per_second: float, burst: int, now: Callable[[], float] = time.monotonic) -> None:
        if per_second <= 0 or burst < 1:
            raise ValueError("a rate limit needs a positive rate and a burst of at least one request")
        self.per_second = per_second
        self.burst = burst
        self._now = now
        self._buckets: dict[str, _Bucket] = {}

    def admit(self, subject: str) -> float | None:
        """Take one request from the subject's bucket: None when admitted, else seconds until one is."""
        now = self._now()
        bucket = self._buckets.get(subject)
        if bucket is None:
            self._forget_full_buckets(now)
            bucket = self._buckets[subject] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return (1 - bucket.tokens) / self.per_second

    def _forget_full_buckets(self, now: float) -> None:
        if len(self._buckets) < MAX_TRACKED_SUBJECTS:
            return
        refill = self.burst / self.per_second
        self._buckets = {
            subject: bucket for subject, bucket in self._buckets.items() if now - bucket.updated < refill
        }


def rate_limited(limiter: RateLimiter) -> Middleware:
    """Refuse a verified caller's request beyond its subject's bucket with 429 and `Retry-After`."""

    @web.middleware
    async def limit(request: web.Request, handler: Handler) -> web.StreamResponse:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return await handler(request)
        try:
            caller = request.app[VERIFIER].verify(token.strip())
        except TokenRejected:
            return await handler(request)  # the route answers 401
        # The route reuses this verification instead of checking the signature a second time.
        request[AUTHENTICATED] = caller
        wait = limiter.admit(caller.sub)
        if wait is None:
            return await handler(request)
        retry_after = max(1, math.ceil(wait))
        log.info("http_rate_limited", subject=caller.sub, role=caller.role, retry_after_seconds=retry_after)
        raise Problem(
            429,
            RATE_LIMITED,
            "Too Many Requests.",
            f"more than {limiter.burst} requests at once or {limiter.per_second:g} per second from one "
            f"caller; retry after {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )

    return limit
