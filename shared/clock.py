"""One clock for the whole platform, injectable so that time-dependent rules are tested without sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Protocol

from pydantic import AfterValidator, PlainSerializer, WithJsonSchema


class Clock(Protocol):
    def now(self) -> datetime:
        """Current time, timezone-aware UTC."""
        ...


class SystemClock:
    """Wall-clock time; the production default."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to (unit tests)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment


class TestClock:
    """Wall-clock time plus an offset that only grows (sandbox mode: Stripe-style test clocks).

    Every service applies the same `sandbox.clock_advanced` offsets, so their clocks move together.
    """

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    @property
    def offset(self) -> timedelta:
        return self._offset

    def advance_to_offset(self, offset: timedelta) -> bool:
        """Move to an absolute offset; never backwards. True when the clock moved."""
        if offset <= self._offset:
            return False
        self._offset = offset
        return True

    def advance(self, delta: timedelta) -> timedelta:
        self._offset += delta
        return self._offset


def utc(moment: datetime) -> datetime:
    """Normalise a datetime read back from MongoDB (naive UTC) to aware UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _aware_utc(moment: datetime) -> datetime:
    # A naive datetime is ambiguous; refusing it keeps deadline arithmetic honest.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return moment.astimezone(UTC)


# The one timestamp format of every response and event: RFC 3339, UTC, `Z`, milliseconds. Milliseconds,
# because MongoDB keeps no more: a value answered before it was stored reads the same after.
RFC3339_UTC_MILLIS = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"


def rfc3339_millis(moment: datetime) -> str:
    """`2026-12-04T14:07:51.123Z`: the instant in UTC, cut (as MongoDB cuts it) to the millisecond."""
    return _aware_utc(moment).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


UtcDateTime = Annotated[
    datetime,
    AfterValidator(_aware_utc),
    PlainSerializer(rfc3339_millis, return_type=str, when_used="json"),
    # Read: any RFC 3339 instant with its offset; written: only the one format, which the schema states.
    WithJsonSchema(
        {"type": "string", "format": "date-time", "pattern": RFC3339_UTC_MILLIS}, mode="serialization"
    ),
]
"""A datetime that must carry a timezone, is normalised to UTC and is written as RFC3339_UTC_MILLIS."""


def require_utc(moment: datetime) -> datetime:
    """Check a datetime passed as an argument the same way model fields are checked."""
    return _aware_utc(moment)
