"""A Snapshot as rich tables: one titled table per figure, printed once or redrawn live (`--follow`)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from deploy.opsview.figures import AGE_BUCKETS
from deploy.opsview.snapshot import Snapshot

# Wide enough for the parked-messages table's queue names and reasons.
WIDTH = 120


def view(snapshot: Snapshot) -> Group:
    """Every figure of the snapshot, as one renderable for a console or a live display."""
    header, *tables = (
        Text(
            f"Tradeguard ops view — as of {snapshot.now.isoformat(timespec='seconds')} "
            f"({snapshot.lines} lines, {snapshot.skipped} skipped)",
            style="bold",
        ),
        _table(
            "Order funnel",
            ["stage", "orders"],
            [[stage.stage, str(stage.orders)] for stage in snapshot.funnel]
            + [["(cancelled)", str(snapshot.cancelled)]],
        ),
        _table(
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
        _table(
            "SLA breaches",
            ["deadline", "breaches", "compensations", "compensated"],
            [
                [s.deadline, str(s.breaches), str(s.compensations), _amounts(s.compensated)]
                for s in snapshot.sla
            ],
        ),
        _table(
            "Open disputes",
            ["reason", "open", "oldest", *(label for label, _ in AGE_BUCKETS)],
            [
                [d.reason, str(d.open), _age(d.oldest), *(str(count) for count in d.by_age)]
                for d in snapshot.disputes
            ],
        ),
        _table(
            f"Parked messages ({snapshot.failed_attempts} failed attempts)",
            ["service", "queue", "parked", "last reason"],
            [[p.service, p.queue, str(p.messages), p.last_reason[:60]] for p in snapshot.parked],
        ),
        _table(
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
    # A blank line before each table, so the figures read as sections.
    return Group(header, *(part for table in tables for part in (Text(""), table)))


def render(snapshot: Snapshot) -> str:
    """The view as plain text, as a terminal of WIDTH columns shows it (and as the tests read it)."""
    out = io.StringIO()
    Console(file=out, width=WIDTH, color_system=None).print(view(snapshot))
    return out.getvalue()


def _table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    # First column is a label (left), the rest are figures (right-aligned so digits line up).
    for index, header in enumerate(headers):
        table.add_column(header, justify="left" if index == 0 else "right")
    for row in rows:
        table.add_row(*row)
    if not rows:
        table.add_row("(none)", *([""] * (len(headers) - 1)))
    return table


def _amounts(amounts: Sequence[tuple[str, Decimal]]) -> str:
    return ", ".join(f"{amount} {currency}" for currency, amount in amounts) or "-"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _age(age: timedelta) -> str:
    hours = int(age.total_seconds() // 3600)
    return f"{hours // 24}d{hours % 24:02d}h"
