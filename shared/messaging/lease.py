"""A lease: the right to do a job that one replica of a service at a time may do (publish the outbox).

The lease is one document, `{_id: <job>, holder, expires_at}`, in the service's database. Taking or
renewing it is one conditional upsert that matches only when this replica already holds it or it has run
out; when another replica holds it the upsert collides on `_id` and nothing changes. The holder renews
only once half of the period has run, so holding costs one round trip per half period, not one per use.
A holder that dies keeps the job stalled until its lease runs out: at most one period.

Expiry is judged on the wall clock (`SystemClock`), never on the sandbox test clock: a replica whose test
clock has jumped ahead must not see another's lease as long over. Replicas on different machines must
therefore agree on the time to well within half a period (NTP does).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from shared.clock import Clock, SystemClock
from shared.mongo import Document

LEASES = "leases"


class Lease:
    def __init__(
        self,
        leases: AsyncCollection[Document],
        job: str,
        holder: str,
        *,
        period_seconds: float,
        clock: Clock | None = None,
    ) -> None:
        self._leases = leases
        self._job = job
        self.holder = holder
        self.period_seconds = period_seconds
        self._period = timedelta(seconds=period_seconds)
        self._clock = clock or SystemClock()
        # Until when this replica holds the lease, as far as it knows; None while it does not.
        self._expires_at: datetime | None = None

    @property
    def held(self) -> bool:
        """Whether this replica held the lease when it last asked (no round trip)."""
        return self._expires_at is not None and self._clock.now() < self._expires_at

    def seconds_until_renewal(self) -> float:
        """How long the holder may wait before it has to renew; 0 when it does not hold the lease."""
        if self._expires_at is None:
            return 0.0
        renew_at = self._expires_at - self._period / 2
        return max(0.0, (renew_at - self._clock.now()).total_seconds())

    async def hold(self) -> bool:
        """Take or keep the lease; True while this replica holds it. A round trip only when it must renew
        (half the period has run) or try to take it over."""
        now = self._clock.now()
        if self._expires_at is not None and now < self._expires_at - self._period / 2:
            return True
        expires_at = now + self._period
        try:
            await self._leases.update_one(
                {"_id": self._job, "$or": [{"holder": self.holder}, {"expires_at": {"$lte": now}}]},
                {"$set": {"holder": self.holder, "expires_at": expires_at}},
                upsert=True,
            )
        except DuplicateKeyError:
            # Another replica holds it and it has not run out.
            self._expires_at = None
            return False
        self._expires_at = expires_at
        return True

    async def release(self) -> None:
        """Let another replica take over at once (a clean shutdown), rather than when the lease runs out."""
        if self._expires_at is None:
            return
        self._expires_at = None
        await self._leases.update_one(
            {"_id": self._job, "holder": self.holder}, {"$set": {"expires_at": self._clock.now()}}
        )
