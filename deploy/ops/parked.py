"""Parked messages over the services' ops API (`/v1/ops/parked-messages`), and their rich tables."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from deploy.local.client import PlatformClient

PARKED = "/v1/ops/parked-messages"
PAGE = 100


async def listed(
    client: PlatformClient, token: str, service: str, *, queue: str | None, most: int
) -> list[dict[str, Any]]:
    """A service's parked messages, oldest first, following `next_cursor` up to `most`."""
    items: list[dict[str, Any]] = []
    params = {"limit": str(min(PAGE, most)), **({"queue": queue} if queue else {})}
    while len(items) < most:
        page = await client.call(service, "GET", PARKED, token=token, params=params)
        items += page["items"]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    return items[:most]


async def read(client: PlatformClient, token: str, service: str, parked_id: str) -> dict[str, Any]:
    return dict(await client.call(service, "GET", f"{PARKED}/{parked_id}", token=token))


async def replay(
    client: PlatformClient, token: str, service: str, *, parked_id: str | None, queue: str | None
) -> dict[str, Any]:
    """One message back to its queue, or (with `queue`) every message parked on it."""
    if parked_id is not None:
        return dict(await client.call(service, "POST", f"{PARKED}/{parked_id}/replay", token=token))
    return dict(await client.call(service, "POST", f"{PARKED}/replay", token=token, json={"queue": queue}))


async def discard(
    client: PlatformClient, token: str, service: str, parked_id: str, reason: str
) -> dict[str, Any]:
    path = f"{PARKED}/{parked_id}/discard"
    return dict(await client.call(service, "POST", path, token=token, json={"reason": reason}))


def listing_table(found: Sequence[tuple[str, dict[str, Any]]]) -> RenderableType:
    if not found:
        return Text("No parked messages.")
    table = _table("Parked messages", ["service", "id", "queue", "type", "attempts", "parked at", "error"])
    for service, item in found:
        table.add_row(
            service,
            item["id"],
            item["queue"],
            item["message_type"] or "-",
            str(item["attempts"]),
            item["parked_at"],
            item["error"][:80],
        )
    return table


def message_view(item: dict[str, Any]) -> RenderableType:
    table = _table(f"Parked message {item['id']}", ["field", "value"])
    for field in ("queue", "routing_key", "message_id", "message_type", "correlation_id", "attempts"):
        table.add_row(field, str(item[field]))
    table.add_row("parked_at", item["parked_at"])
    table.add_row("rejected by a rule", "yes" if item["rejected"] else "no")
    table.add_row("error", item["error"])
    body = json.dumps(item["payload"], indent=2) if item["payload"] is not None else item["body"]
    return Group(table, Text("\npayload", style="bold"), Text(body or ""))


def discard_table(discarded: dict[str, Any]) -> RenderableType:
    table = _table("Discarded", ["id", "queue", "by", "at", "reason"])
    table.add_row(
        discarded["id"],
        discarded["queue"],
        discarded["discarded_by"],
        discarded["discarded_at"],
        discarded["reason"],
    )
    return table


def _table(title: str, headers: Sequence[str]) -> Table:
    table = Table(
        title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, header_style="bold"
    )
    for header in headers:
        table.add_column(header, overflow="fold")
    return table
