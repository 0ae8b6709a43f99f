"""Plain-text rendering of a Snapshot: one titled table per figure, no terminal library needed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from deploy.opsview.figures import AGE_BUCKETS
from deploy.opsview.snapshot import Snapshot

# Home the cursor and clear the screen: redraws in place when following, without curses.
CLEAR = "\x1b[H\x1b[2J"


def render(snapshot: Snapshot) -> str:
    sections = [
        f"Tradeguard ops view — as of {snapshot.now.isoformat(timespec='seconds')} "
        f"({snapshot.lines} lines, {snapshot.skipped} skipped)",
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
    ]
    return "\n\n".join(sections) + "\n"


def _section(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    if not rows:
        return f"{title}\n  (none)"
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        # First column is a label (left), the rest are figures (right-aligned so digits line up).
        first, *rest = (
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        return "  " + "  ".join([first, *rest]).rstrip()

    rule = "  " + "  ".join("-" * width for width in widths)
    return "\n".join([title, line(headers), rule, *(line(row) for row in rows)])


def _amounts(amounts: Sequence[tuple[str, Decimal]]) -> str:
    return ", ".join(f"{amount} {currency}" for currency, amount in amounts) or "-"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _age(age: timedelta) -> str:
    hours = int(age.total_seconds() // 3600)
    return f"{hours // 24}d{hours % 24:02d}h"
