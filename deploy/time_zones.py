"""Generate `shared/time_zone_data.py` (ISO 3166 country → IANA time zones) from the tzdata package.

python -m deploy.time_zones           # print
python -m deploy.time_zones --write   # update shared/time_zone_data.py (a test checks it matches tzdata)

A country's zones are the rows of tzdata's `zone.tab`, its most populous zone first. Zones whose clocks read
the same at every sampled instant (Europe/Berlin and Europe/Busingen) are one clock; a country keeping more
than one (US, AU, BR, ES with the Canaries) is listed in SEVERAL_CLOCKS, and an order to it names its zone.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import tzdata  # type: ignore[import-untyped]  # (data only, no stubs)

DATA_MODULE = Path(__file__).resolve().parents[1] / "shared" / "time_zone_data.py"
# Clocks are compared over fixed years, so the output depends on the tzdata release only. Every six hours
# catches each daylight-saving season and any standing offset difference.
SAMPLED_FROM = datetime(2026, 1, 1, tzinfo=UTC)
SAMPLED_YEARS = 3
SAMPLE_STEP = timedelta(hours=6)


def country_zones() -> dict[str, tuple[str, ...]]:
    """zone.tab's zones per country code, in the file's order (the principal zone first)."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    zones: dict[str, list[str]] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            country, _, zone, *_ = line.split("\t")
            zones.setdefault(country, []).append(zone)
    return {country: tuple(names) for country, names in sorted(zones.items())}


def keeps_several_clocks(zones: tuple[str, ...]) -> bool:
    principal, *others = zones
    return any(_clock(zone) != _clock(principal) for zone in others)  # a lone zone is never sampled


@cache
def _clock(zone: str) -> tuple[timedelta | None, ...]:
    # Read from the tzdata package itself, whatever the machine's own zoneinfo directory holds.
    with resources.files("tzdata").joinpath("zoneinfo", *zone.split("/")).open("rb") as tzif:
        tz = ZoneInfo.from_file(tzif, key=zone)
    return tuple(instant.astimezone(tz).utcoffset() for instant in _samples())


def _samples() -> Iterator[datetime]:
    instant, end = SAMPLED_FROM, SAMPLED_FROM.replace(year=SAMPLED_FROM.year + SAMPLED_YEARS)
    while instant < end:
        yield instant
        instant += SAMPLE_STEP


def render() -> str:
    zones = country_zones()
    several = [country for country, names in zones.items() if keeps_several_clocks(names)]
    rows = "\n".join(_entry(f"{_quoted([country])}: (", names, ")") for country, names in zones.items())
    version = tzdata.IANA_VERSION
    return f'''"""ISO 3166 country → IANA time zones, from tzdata {version} (`python -m deploy.time_zones`).

Generated, not edited: the first zone of a country is its principal one; a country in SEVERAL_CLOCKS keeps
more than one clock, so an order to it names its zone.
"""

# fmt: off
TZDATA_VERSION = "{version}"

COUNTRY_ZONES: dict[str, tuple[str, ...]] = {{
{rows}
}}

SEVERAL_CLOCKS: frozenset[str] = frozenset({{
{textwrap.fill(_quoted(several) + ",", LINE, initial_indent="    ", subsequent_indent="    ")}
}})
# fmt: on
'''


LINE = 110


def _entry(head: str, names: tuple[str, ...], tail: str) -> str:
    """One line per country, wrapped inside its parentheses when its zones do not fit on one."""
    line = f"    {head}{_quoted(names)},{tail},"
    if len(line) <= LINE:
        return line
    body = textwrap.fill(_quoted(names) + ",", LINE, initial_indent=" " * 8, subsequent_indent=" " * 8)
    return f"    {head}\n{body}\n    {tail},"


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help=f"write {DATA_MODULE}")
    text = render()
    if parser.parse_args().write:
        DATA_MODULE.write_text(text, encoding="utf-8")
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
