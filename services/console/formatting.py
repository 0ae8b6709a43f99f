"""How amounts, instants, ages and codes read on a page (Jinja filters)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from shared.money import Money


def money(value: Any) -> str:
    """`{"amount": 123456, "currency": "USD"}` → `1234.56 USD`; an absent amount reads as a dash."""
    if not isinstance(value, dict) or "amount" not in value:
        return "—"
    try:
        return Money(amount=int(value["amount"]), currency=str(value["currency"])).format()
    except ValueError:
        return f"{value['amount']} {value.get('currency', '')} (minor units)"


def minor(amount: int, currency: str) -> str:
    return money({"amount": amount, "currency": currency})


def instant(value: Any) -> str:
    """An ISO 8601 instant as `2025-03-01 14:05 UTC` (operators across time zones read UTC)."""
    if not value:
        return "—"
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return parsed.strftime("%Y-%m-%d %H:%M UTC")


def age(seconds: Any) -> str:
    """`273600` → `3 d 4 h`; the two largest units are enough to sort a queue by eye."""
    try:
        remaining = int(seconds)
    except (TypeError, ValueError):
        return "—"
    days, remaining = divmod(remaining, 86_400)
    hours, remaining = divmod(remaining, 3_600)
    minutes = remaining // 60
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def words(code: Any) -> str:
    """`quality_not_as_agreed` → `quality not as agreed`."""
    return str(code or "").replace("_", " ").replace(".", " · ")


def duration(value: Any) -> str:
    """An ISO 8601 duration as people say it: `P7D` → `7 days`, `PT36H` → `36 hours`."""
    found = _DURATION.fullmatch(str(value or ""))
    if not found:
        return str(value or "—")
    parts = [
        f"{int(n)} {unit}{'s' if int(n) != 1 else ''}"
        for n, unit in zip(found.groups(), _UNITS, strict=True)
        if n
    ]
    return " ".join(parts) or "under a minute"


def short(identifier: Any) -> str:
    """A long id cut to what tells it apart on a page (the full id stays in the title attribute)."""
    text = str(identifier or "")
    return text if len(text) <= 14 else f"{text[:12]}…"


# Seconds are dropped: a deadline or a wait is read in days, hours and minutes.
_DURATION = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:[\d.]+S)?)?")
_UNITS = ("day", "hour", "minute")
FILTERS = {
    "money": money,
    "instant": instant,
    "age": age,
    "words": words,
    "duration": duration,
    "short": short,
}
