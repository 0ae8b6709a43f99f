"""Timezone-aware UTC instants: every datetime in the domain is one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator


def _aware_utc(moment: datetime) -> datetime:
    # A naive datetime is ambiguous; refusing it keeps deadline arithmetic honest.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return moment.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_aware_utc)]
"""A datetime that must carry a timezone and is normalised to UTC."""


def require_utc(moment: datetime) -> datetime:
    """Check a datetime passed as an argument the same way model fields are checked."""
    return _aware_utc(moment)
