"""The delivery promise fixed at funding: dispatch deadline and promised delivery date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from shared.clock import UtcDateTime, require_utc

from .errors import HandlingTimeOutOfRangeError, UnknownTimeZoneError
from .policy import LogisticsPolicy
from .routes import zone


class DeliveryPromise(BaseModel):
    """Immutable once made: later events are judged against it, never the other way round."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    funded_at: UtcDateTime
    handling_time: timedelta
    dispatch_deadline: UtcDateTime = Field(description="Last instant at which dispatch is on time.")
    transit_days: int = Field(ge=1)
    destination_timezone: str
    promised_delivery_date: date = Field(description="Local calendar date in the destination's zone.")
    delivery_late_from: UtcDateTime = Field(
        description="First instant at which delivery is late: the end of the promised local day."
    )


def end_of_local_day(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant at which local `day` ends (the next local midnight), correct across DST changes."""
    # fold=0 is right on both DST edge cases: a skipped midnight resolves to the transition instant,
    # and a repeated midnight to its first occurrence, which is when the day actually ended.
    midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).replace(fold=0)
    return midnight.astimezone(UTC)


def check_handling_time(handling_time: timedelta, guaranteed: bool, policy: LogisticsPolicy) -> None:
    """Guaranteed offers promise dispatch within the policy's window; others only need a positive time."""
    if handling_time <= timedelta(0):
        raise HandlingTimeOutOfRangeError("handling time must be positive")
    low, high = policy.guaranteed_min_handling, policy.guaranteed_max_handling
    if guaranteed and not low <= handling_time <= high:
        raise HandlingTimeOutOfRangeError(
            f"Guaranteed handling time must be between {low} and {high}, got {handling_time}"
        )


def make_promise(
    *,
    funded_at: datetime,
    handling_time: timedelta,
    transit_days: int,
    destination_timezone: str,
    guaranteed: bool,
    policy: LogisticsPolicy,
) -> DeliveryPromise:
    """Dispatch deadline = funding + handling; delivery date = local date of that deadline + transit days."""
    check_handling_time(handling_time, guaranteed, policy)
    try:
        tz = zone(destination_timezone)
    except ValueError as exc:
        raise UnknownTimeZoneError(str(exc)) from None
    funded_at = require_utc(funded_at)
    deadline = funded_at + handling_time
    # Calendar days in the destination, so a DST change in transit does not shift the date.
    promised = deadline.astimezone(tz).date() + timedelta(days=transit_days)
    return DeliveryPromise(
        funded_at=funded_at,
        handling_time=handling_time,
        dispatch_deadline=deadline,
        transit_days=transit_days,
        destination_timezone=destination_timezone,
        promised_delivery_date=promised,
        delivery_late_from=end_of_local_day(promised, tz),
    )
