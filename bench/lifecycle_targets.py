"""The lifecycle bench's figures next to the targets issue 19 set, and before/after ratios of two results.

`against_targets` reads a `bench.lifecycle` summary and returns every figure of the issue with its target
(or none, where the issue only reports it); `compare` lines up two such JSON results of the same machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

# The event hop the "one service's commit to the consuming service's effect" is measured on.
EVENT_HOP = "order_funded → logistics.shipment_created"
WEBHOOK_HOP = "succeed → escrow.order_funded"
MAX_P99_OVER_P50 = 2.0


@dataclass(frozen=True)
class Target:
    """One figure of the issue: its value in a summary, and the bound it must meet (None: reported only)."""

    figure: str
    read: Callable[[dict[str, Any]], float | None]
    at_most: float | None = None
    at_least: float | None = None

    def row(self, summary: dict[str, Any]) -> dict[str, Any]:
        value = self.read(summary)
        met: bool | None = None
        if value is not None and self.at_most is not None:
            met = value <= self.at_most
        elif value is not None and self.at_least is not None:
            met = value >= self.at_least
        bound = f"≤ {self.at_most}" if self.at_most is not None else None
        if self.at_least is not None:
            bound = f"≥ {self.at_least}"
        return {"figure": self.figure, "value": value, "target": bound, "met": met}


def _at(*path: str) -> Callable[[dict[str, Any]], float | None]:
    def read(summary: dict[str, Any]) -> float | None:
        node: Any = summary
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return float(node)

    return read


def _spread(kind: str) -> Callable[[dict[str, Any]], float | None]:
    def read(summary: dict[str, Any]) -> float | None:
        call = summary.get("call_ms", {}).get(kind)
        if not call or not call["p50"]:
            return None
        return round(float(call["p99"]) / float(call["p50"]), 2)

    return read


def targets(summary: dict[str, Any]) -> Iterator[Target]:
    yield Target("mongo round trips per journey", _at("mongo_round_trips_per_journey"), at_most=100)
    yield Target("services' CPU ms per journey", _at("cpu_ms_per_journey_services"), at_most=45)
    yield Target("databases' CPU ms per journey", _at("cpu_ms_per_journey_databases"))
    yield Target("journeys/s ÷ MongoDB floor", _at("journeys_vs_mongo_floor"), at_least=0.8)
    for kind in summary.get("call_ms", {}):
        yield Target(f"p99/p50 {kind}", _spread(kind), at_most=MAX_P99_OVER_P50)
    yield Target(f"event hop p50 ms ({EVENT_HOP})", _at("hop_ms", EVENT_HOP, "p50"), at_most=20)
    yield Target(f"event hop p99 ms ({EVENT_HOP})", _at("hop_ms", EVENT_HOP, "p99"), at_most=60)
    yield Target(f"webhook p50 ms ({WEBHOOK_HOP})", _at("hop_ms", WEBHOOK_HOP, "p50"))
    yield Target(f"webhook p99 ms ({WEBHOOK_HOP})", _at("hop_ms", WEBHOOK_HOP, "p99"))


def against_targets(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Every figure of the issue with its target and whether this run met it (None: no target, or absent)."""
    return [target.row(summary) for target in targets(summary)]


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, float | None, float | None]]:
    """(figure, before, after) for every number both results hold, flattened to dotted names."""
    old, new = dict(_numbers(before)), dict(_numbers(after))
    return [(name, old.get(name), new.get(name)) for name in old | new]


def _numbers(node: Any, prefix: str = "") -> Iterator[tuple[str, float]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _numbers(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield prefix, float(node)


def print_comparison(before: dict[str, Any], after: dict[str, Any], out: Callable[[str], None]) -> None:
    out(f"\n== before → after ({before.get('journeys')} → {after.get('journeys')} journeys) ==")
    out(f"  {'figure':<72} {'before':>10} {'after':>10} {'ratio':>7}")
    for name, old, new in compare(before, after):
        ratio = f"{new / old:.2f}" if old and new is not None else "-"
        out(f"  {name:<72} {_show(old):>10} {_show(new):>10} {ratio:>7}")


def _show(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
