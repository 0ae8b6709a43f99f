"""Every destination country has its time zone as data; where a country keeps several clocks, the order names
one of its zones, and anything else is refused naming the field to correct."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from deploy.time_zones import DATA_MODULE, render
from shared.time_zone_data import COUNTRY_ZONES, SEVERAL_CLOCKS
from shared.time_zones import DestinationZoneRefused, destination_zone


def test_the_time_zone_data_is_tzdata_s_zones_per_country() -> None:
    # Regenerate with `python -m deploy.time_zones --write` when tzdata is upgraded.
    assert DATA_MODULE.read_text(encoding="utf-8") == render()


def test_every_country_a_route_can_serve_has_a_zone_zoneinfo_knows() -> None:
    assert len(COUNTRY_ZONES) >= 245  # every inhabited ISO 3166 country
    for zones in COUNTRY_ZONES.values():
        for name in zones:
            ZoneInfo(name)


@pytest.mark.parametrize(
    ("country", "zone"),
    [
        ("IN", "Asia/Kolkata"),
        ("GB", "Europe/London"),
        ("UK", "Europe/London"),
        ("DE", "Europe/Berlin"),
        ("JP", "Asia/Tokyo"),
        ("KW", "Asia/Kuwait"),
        ("AR", "America/Argentina/Buenos_Aires"),
        ("ZA", "Africa/Johannesburg"),
    ],
)
def test_a_country_keeping_one_clock_needs_no_zone_named(country: str, zone: str) -> None:
    assert destination_zone(country, None) == zone
    assert destination_zone(country, zone) == zone


@pytest.mark.parametrize("country", ["US", "CA", "BR", "AU", "RU", "MX", "ID"])
def test_a_country_keeping_several_clocks_needs_its_zone_named(country: str) -> None:
    # Given an order to a country with several clocks and no zone named
    assert country in SEVERAL_CLOCKS

    # Then it is refused, naming the field and the zones to choose from
    with pytest.raises(DestinationZoneRefused) as refused:
        destination_zone(country, None)
    assert refused.value.field == "destination_timezone"
    assert COUNTRY_ZONES[country][0] in refused.value.message

    # And any of the country's zones is accepted
    assert destination_zone(country, COUNTRY_ZONES[country][-1]) == COUNTRY_ZONES[country][-1]


@pytest.mark.parametrize(
    ("country", "zone"), [("US", "Europe/London"), ("IN", "Asia/Karachi"), ("GB", "UTC")]
)
def test_a_zone_outside_the_destination_country_is_refused(country: str, zone: str) -> None:
    with pytest.raises(DestinationZoneRefused) as refused:
        destination_zone(country, zone)
    assert refused.value.field == "destination_timezone"


def test_a_country_without_a_known_zone_is_refused_naming_the_destination() -> None:
    with pytest.raises(DestinationZoneRefused) as refused:
        destination_zone("XX", None)
    assert refused.value.field == "destination"
