"""The order funnel: how many orders stand at each step of the lifecycle, counted from escrow's order list.

Escrow serves no counts, so the console walks each status's pages and stops at a cap: past it the funnel
says "500+" rather than make an operator wait on a full scan.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from markupsafe import Markup

from services.console.charts import Bar, horizontal_bars
from services.console.upstream import Upstream

# Lifecycle order, then the ways out of it.
FUNNEL = (
    ("awaiting_payment", "primary"),
    ("funded", "primary"),
    ("in_production", "primary"),
    ("shipped", "primary"),
    ("delivered", "primary"),
    ("completed", "good"),
    ("frozen", "warn"),
    ("partially_refunded", "warn"),
    ("refunded", "bad"),
    ("cancelled", "muted"),
)
PAGE = 100
CAP = 500


@dataclass(frozen=True)
class StatusCount:
    status: str
    count: int
    capped: bool

    @property
    def shown(self) -> str:
        return f"{self.count}+" if self.capped else str(self.count)


async def count_status(upstream: Upstream, token: str, status: str) -> StatusCount:
    counted, cursor = 0, None
    while counted < CAP:
        params: dict[str, str | list[str]] = {"status": status, "limit": str(PAGE)}
        if cursor:
            params["cursor"] = cursor
        page = await upstream.get("escrow", "/v1/orders", token, params)
        counted += len(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return StatusCount(status, counted, capped=False)
    return StatusCount(status, counted, capped=True)


async def order_funnel(upstream: Upstream, token: str) -> tuple[list[StatusCount], Markup]:
    counts = await asyncio.gather(*(count_status(upstream, token, status) for status, _ in FUNNEL))
    tones = dict(FUNNEL)
    bars = [Bar(c.status.replace("_", " "), c.count, c.shown, tones[c.status]) for c in counts]
    return list(counts), horizontal_bars("Orders per status", bars)
