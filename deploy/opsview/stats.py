"""Small numeric helpers of the ops view: percentiles, major units, timestamps. Pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from math import ceil

from shared.money import exponent


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Nearest-rank percentile (an observed value, never interpolated); None when there is no value."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def to_major(minor: int, currency: str) -> Decimal:
    """Minor to major units by the currency's ISO-4217 exponent (1234 USD → 12.34, 1200 JPY → 1200)."""
    places = exponent(currency)
    return Decimal(minor).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def parse_time(value: object) -> datetime | None:
    """An ISO-8601 timestamp as an aware UTC datetime; None when absent or malformed."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    # The services always log UTC; a naive value is read as UTC rather than the viewer's local zone.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
