"""The delivery promise escrow fixes at funding, pinned at the edges where time zones make it subtle."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.escrow.domain.promise import DeliveryPromise, end_of_local_day, make_promise
from shared.contracts.escrow import DeadlineKind
from shared.time_zone_data import COUNTRY_ZONES

from .factories import terms


def promise(
    *,
    funded_at: datetime = datetime(2026, 3, 2, 20, 0, tzinfo=UTC),
    handling: timedelta = timedelta(hours=72),
    transit_days: int = 5,
    tz: str = "America/Los_Angeles",
) -> DeliveryPromise:
    country = next(code for code, zones in COUNTRY_ZONES.items() if tz in zones)
    contract = terms(
        handling_time=handling,
        transit_days=transit_days,
        destination_country=country,
        destination_timezone=tz,
    )
    return make_promise(contract, funded_at)


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


def test_a_dst_change_in_transit_does_not_shift_the_promised_date() -> None:
    # given a deadline on Saturday 7 March in Los Angeles, the day before clocks go forward
    made = promise(funded_at=datetime(2026, 3, 4, 20, 0, tzinfo=UTC), transit_days=1)
    # then one transit day is the next calendar day there, however long that day is
    assert made.promised_delivery_date == date(2026, 3, 8)
    assert made.delivery_late_from == datetime(2026, 3, 9, 7, 0, tzinfo=UTC)


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


def test_a_promise_made_across_a_skipped_midnight_is_late_from_the_transition() -> None:
    # given delivery promised for 5 September in Santiago, whose next midnight is skipped
    made = promise(funded_at=datetime(2026, 8, 28, 12, 0, tzinfo=UTC), tz="America/Santiago")
    assert made.promised_delivery_date == date(2026, 9, 5)
    # then the promise breaks when the day ends, at the transition
    assert made.delivery_late_from == datetime(2026, 9, 6, 4, 0, tzinfo=UTC)


def test_each_deadline_kind_breaks_at_its_own_instant() -> None:
    made = promise()
    assert made.late_from(DeadlineKind.DISPATCH) == made.dispatch_deadline
    assert made.late_from(DeadlineKind.DELIVERY) == made.delivery_late_from


def test_promise_refuses_a_naive_funding_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        promise(funded_at=datetime(2026, 3, 2, 20, 0))


def test_promise_is_immutable() -> None:
    made = promise()
    with pytest.raises(ValueError, match="frozen"):
        made.promised_delivery_date = date(2026, 3, 1)  # type: ignore[misc]


def test_end_of_local_day_is_given_in_utc_whatever_the_hosts_own_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a host whose local clock is Tokyo's
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        ended = end_of_local_day(date(2026, 3, 10), ZoneInfo("America/New_York"))
    finally:
        monkeypatch.undo()
        time.tzset()

    # then the instant is still written in UTC
    assert (ended, ended.utcoffset()) == (datetime(2026, 3, 11, 4, 0, tzinfo=UTC), timedelta(0))
