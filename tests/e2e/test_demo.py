"""The demo seeds a marketplace with a progress bar and prints a buyer's order timeline across services."""

from __future__ import annotations

import io
import re

from rich.console import Console

from deploy.demo import run_demo
from deploy.local.client import PlatformClient
from deploy.local.stack import LocalStack

PROGRESS = re.compile(r"seeding products\s+━+\s+(\d+)/(\d+)")


async def test_demo_seeds_with_a_progress_bar_and_prints_the_order_timeline_twice(stack: LocalStack) -> None:
    outputs, orders = [], []
    async with PlatformClient.for_stack(stack) as client:
        for _ in range(2):  # idempotent enough to run twice on the same stack
            out = io.StringIO()
            orders.append(await run_demo(client, Console(file=out, width=120), suppliers=4, products=6))
            outputs.append(out.getvalue())

    assert orders[0] != orders[1]
    for text, order_id in zip(outputs, orders, strict=True):
        steps = [(int(done), int(total)) for done, total in PROGRESS.findall(text)]
        assert steps, text
        assert steps[-1][0] == steps[-1][1], steps  # the bar reaches its end
        assert "badges confirmed by catalog: plain 1, gold 1, verified 1, verified pro 1" in text
        assert "warning" not in text
        assert "seeded: 1 plain, 1 gold, 1 verified, 1 verified pro suppliers; 6 products" in text
        lines = text.splitlines()
        title = next(i for i, line in enumerate(lines) if line.strip() == f"Timeline of order {order_id}")
        table = [line for line in lines[title + 1 :] if line.strip()]
        assert table[0].split() == ["time", "service", "event", "actor"]
        rows = [line.split() for line in table[2:]]
        assert {row[2] for row in rows} >= {"escrow", "logistics", "catalog"}, table
        events = [f"{row[2]}.{row[3]}" for row in rows]
        assert events.count("catalog.review_published") == 2, table  # the product and the store
        assert {"escrow.funds_released", "logistics.shipment_delivered", "catalog.review_published"} <= set(
            events
        )
