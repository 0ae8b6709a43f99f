"""A destination's time zone: its country's one clock, or the zone an order names where it keeps several.

The data (`shared/time_zone_data.py`) is tzdata's list of zones per ISO 3166 country; a promise that ends
"at the end of the promised day in the destination" is only as right as the zone it ends in.
"""

from __future__ import annotations

from shared.errors import Rejected
from shared.time_zone_data import COUNTRY_ZONES, SEVERAL_CLOCKS

# Codes in use beside ISO 3166's: the Easy Return programme (and buyers) say UK for GB.
COUNTRY_ALIASES = {"UK": "GB"}


class DestinationZoneRefused(Rejected):
    """The destination has no known zone, keeps several clocks and none was named, or the named one is not
    the country's; `field` names the input to correct."""

    code = "destination_zone_refused"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def zones_of(country: str) -> tuple[str, ...]:
    """The country's IANA zones, its principal one first; empty for a code tzdata does not know."""
    return COUNTRY_ZONES.get(COUNTRY_ALIASES.get(country, country), ())


def is_zone_of(country: str, zone: str) -> bool:
    return zone in zones_of(country)


def destination_zone(country: str, named: str | None, *, field: str = "destination_timezone") -> str:
    """The zone an order to `country` keeps its promise in; refused with the field to correct."""
    zones = zones_of(country)
    if not zones:
        raise DestinationZoneRefused("destination", f"no time zone is known for country {country!r}")
    if named is None:
        if COUNTRY_ALIASES.get(country, country) in SEVERAL_CLOCKS:
            raise DestinationZoneRefused(
                field, f"{country} keeps several clocks: name its zone, one of {', '.join(zones)}"
            )
        return zones[0]
    if named not in zones:
        raise DestinationZoneRefused(
            field, f"{named!r} is not a time zone of {country}: one of {', '.join(zones)}"
        )
    return named
