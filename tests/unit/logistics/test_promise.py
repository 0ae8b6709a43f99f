from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.logistics.domain.errors import HandlingTimeOutOfRangeError, UnknownTimeZoneError
from services.logistics.domain.policy import LogisticsPolicy
from services.logistics.domain.promise import DeliveryPromise, end_of_local_day, make_promise

from .builders import POLICY


def promise(
    *,
    funded_at: datetime = datetime(2026, 3, 2, 20, 0, tzinfo=UTC),
    handling: timedelta = timedelta(hours=72),
    transit_days: int = 5,
    tz: str = "America/Los_Angeles",
    guaranteed: bool = True,
    policy: LogisticsPolicy = POLICY,
) -> DeliveryPromise:
    return make_promise(
        funded_at=funded_at,
        handling_time=handling,
        transit_days=transit_days,
        destination_timezone=tz,
        guaranteed=guaranteed,
        policy=policy,
    )


def test_dispatch_deadline_is_funding_time_plus_handling_time() -> None:
    assert promise().dispatch_deadline == datetime(2026, 3, 5, 20, 0, tzinfo=UTC)


def test_promised_date_is_the_deadline_local_date_plus_transit_days() -> None:
    # given a deadline of 2026-03-05 20:00 UTC, which is the 5th in Los Angeles but the 6th in Auckland
    # then the promised date counts transit days from the destination's local date
    assert promise(tz="America/Los_Angeles").promised_delivery_date == date(2026, 3, 10)
    assert promise(tz="Pacific/Auckland").promised_delivery_date == date(2026, 3, 11)


def test_delivery_becomes_late_at_the_end_of_the_promised_local_day() -> None:
    # given delivery promised for 2026-03-10 in Los Angeles (PDT, UTC-7, since 8 March)
    # then it is late from local midnight that night, 07:00 UTC on the 11th
    assert promise().delivery_late_from == datetime(2026, 3, 11, 7, 0, tzinfo=UTC)


def test_end_of_local_day_is_correct_when_the_next_midnight_is_skipped() -> None:
    # given Santiago skips from 2026-09-06 00:00 (UTC-4) to 01:00 (UTC-3)
    santiago = ZoneInfo("America/Santiago")
    # then 5 September ends at the transition, 04:00 UTC, not an hour earlier
    assert end_of_local_day(date(2026, 9, 5), santiago) == datetime(2026, 9, 6, 4, 0, tzinfo=UTC)


def test_end_of_local_day_is_the_first_of_a_repeated_midnight() -> None:
    # given Havana falls back from 2026-11-01 01:00 (UTC-4) to 00:00 (UTC-5), so midnight happens twice
    havana = ZoneInfo("America/Havana")
    # then 31 October ends at the first midnight, 04:00 UTC
    assert end_of_local_day(date(2026, 10, 31), havana) == datetime(2026, 11, 1, 4, 0, tzinfo=UTC)


def test_end_of_local_day_is_unaffected_by_a_late_evening_fall_back() -> None:
    # given Santiago repeats 23:00–24:00 on 2026-04-04 (UTC-3 then UTC-4)
    santiago = ZoneInfo("America/Santiago")
    # then 4 April ends at the only midnight that follows, 04:00 UTC
    assert end_of_local_day(date(2026, 4, 4), santiago) == datetime(2026, 4, 5, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize("handling", [timedelta(hours=72), timedelta(days=5), timedelta(days=7)])
def test_guaranteed_handling_time_between_72_hours_and_7_days_is_accepted(handling: timedelta) -> None:
    assert promise(handling=handling).handling_time == handling


@pytest.mark.parametrize(
    "handling", [timedelta(hours=72) - timedelta(seconds=1), timedelta(days=7, seconds=1)]
)
def test_guaranteed_handling_time_outside_72_hours_to_7_days_is_refused(handling: timedelta) -> None:
    with pytest.raises(HandlingTimeOutOfRangeError):
        promise(handling=handling)


def test_guaranteed_handling_window_comes_from_policy() -> None:
    policy = LogisticsPolicy(guaranteed_min_handling=timedelta(hours=24))
    assert promise(handling=timedelta(hours=48), policy=policy).handling_time == timedelta(hours=48)


def test_non_guaranteed_handling_time_only_needs_to_be_positive() -> None:
    assert promise(handling=timedelta(days=30), guaranteed=False).handling_time == timedelta(days=30)
    with pytest.raises(HandlingTimeOutOfRangeError):
        promise(handling=timedelta(0), guaranteed=False)


def test_unknown_destination_time_zone_is_refused() -> None:
    with pytest.raises(UnknownTimeZoneError):
        promise(tz="Nowhere/Atlantis")


def test_promise_refuses_a_naive_funding_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        promise(funded_at=datetime(2026, 3, 2, 20, 0))


def test_promise_is_immutable() -> None:
    made = promise()
    with pytest.raises(ValueError, match="frozen"):
        made.transit_days = 1  # type: ignore[misc]
