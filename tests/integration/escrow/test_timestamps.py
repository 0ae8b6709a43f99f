"""What escrow really writes, over HTTP and to the broker, spells every instant one way: RFC 3339, UTC, `Z`,
milliseconds (tests/unit/test_timestamps.py checks that every document declares it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from shared.clock import RFC3339_UTC_MILLIS
from shared.messaging.outbox import OUTBOX

from .conftest import StartEscrow

LOOKS_LIKE_AN_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T")


def instants(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) of every string in a JSON value that starts like a date and time."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from instants(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from instants(item, f"{path}.{index}")
    elif isinstance(value, str) and LOOKS_LIKE_AN_INSTANT.match(value):
        yield path, value


async def test_every_instant_escrow_answers_or_publishes_is_rfc3339_utc_milliseconds(
    start_escrow: StartEscrow,
) -> None:
    # Given an order placed and paid, its clock at a moment with microseconds
    escrow = await start_escrow()
    escrow.clock.advance(timedelta(microseconds=123_456))
    order_id = await escrow.place()
    await escrow.pay(order_id)

    # When we read what escrow answers about it and what it published
    finance = escrow.tokens.ops("ops-1", "ops:finance")
    answered = {
        "order": await escrow.order(order_id),
        "timeline": await (
            await escrow.service.call("GET", f"/v1/orders/{order_id}/timeline", token=finance)
        ).json(),
        "clock": await (await escrow.service.call("GET", "/sandbox/clock")).json(),
    }
    published = [row["envelope"] async for row in escrow.service.platform.db[OUTBOX].find({})]

    # Then every instant in them is spelled the one way
    found = list(instants(answered)) + list(instants(published))
    assert {path for path, _ in found} >= {".order.placed_at", ".order.funded_at", ".0.occurred_at"}
    assert [(path, text) for path, text in found if not re.match(RFC3339_UTC_MILLIS, text)] == []
