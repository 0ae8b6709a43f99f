"""The ops view of a Snapshot for the terminal: one titled rich table per figure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from rich import box
from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from deploy.opsview.figures import AGE_BUCKETS
from deploy.opsview.snapshot import Snapshot

UNBOUNDED = 1_000  # columns: wider than any view


def render(snapshot: Snapshot) -> Group:
    return Group(
        Text(
            f"Tradeguard ops view — as of {snapshot.now.isoformat(timespec='seconds')} "
            f"({snapshot.lines} lines, {snapshot.skipped} skipped)"
        ),
        _section(
            "Order funnel",
            ["stage", "orders"],
            [[stage.stage, str(stage.orders)] for stage in snapshot.funnel]
            + [["(cancelled)", str(snapshot.cancelled)]],
        ),
        _section(
            "Escrow (major units)",
            ["currency", "funded", "released", "refunded", "after release", "held"],
            [
                [
                    str(v)
                    for v in (b.currency, b.funded, b.released, b.refunded, b.refunded_after_release, b.held)
                ]
                for b in snapshot.escrow
            ],
        ),
        _section(
            "SLA breaches",
            ["deadline", "breaches", "compensations", "compensated"],
            [
                [s.deadline, str(s.breaches), str(s.compensations), _amounts(s.compensated)]
                for s in snapshot.sla
            ],
        ),
        _section(
            "Open disputes",
            ["reason", "open", "oldest", *(label for label, _ in AGE_BUCKETS)],
            [
                [d.reason, str(d.open), _age(d.oldest), *(str(count) for count in d.by_age)]
                for d in snapshot.disputes
            ],
        ),
        _section(
            f"Parked messages ({snapshot.failed_attempts} failed attempts)",
            ["service", "queue", "parked", "last reason"],
            [[p.service, p.queue, str(p.messages), p.last_reason[:60]] for p in snapshot.parked],
        ),
        _section(
            "HTTP (probes excluded)",
            ["service", "requests", "p50 ms", "p99 ms", "5xx", "error rate"],
            [
                [
                    h.service,
                    str(h.requests),
                    _ms(h.p50_ms),
                    _ms(h.p99_ms),
                    str(h.server_errors),
                    f"{h.error_rate:.2%}",
                ]
                for h in snapshot.http
            ],
        ),
    )


def print_wide(console: Console, view: RenderableType) -> None:
    """Print without cutting a table: the console widens to what the view needs (a file has no edge)."""
    console.width = max(
        console.width, Measurement.get(console, console.options.update_width(UNBOUNDED), view).maximum
    )
    console.print(view)


def _section(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> RenderableType:
    if not rows:
        return Group(Text(f"\n{title}"), Text("  (none)"))
    table = Table(
        title=f"\n{title}",
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        header_style="bold",
    )
    # First column is a label (left), the rest are figures (right-aligned so digits line up).
    for index, header in enumerate(headers):
        table.add_column(header, justify="left" if index == 0 else "right", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    return table


def _amounts(amounts: Sequence[tuple[str, Decimal]]) -> str:
    return ", ".join(f"{amount} {currency}" for currency, amount in amounts) or "-"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _age(age: timedelta) -> str:
    hours = int(age.total_seconds() // 3600)
    return f"{hours // 24}d{hours % 24:02d}h"
