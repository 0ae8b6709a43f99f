"""The terminal ops view computes the dashboards' figures from recorded JSON logs of the four services.

The fixture is `cat .local/logs/*.log` of a small marketplace day: eight orders (USD, JPY, EUR), a
cancellation, a late delivery, an automatic dispatch compensation, disputes settled before and after the
release of funds, a parked message, HTTP traffic with probes, a duplicated relay line and a stray
non-JSON line.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

from deploy.opsview.__main__ import main
from deploy.opsview.figures import Figures
from deploy.opsview.render import print_wide, render
from deploy.opsview.snapshot import (
    EscrowBalance,
    FunnelStage,
    HttpFigures,
    OpenDisputes,
    ParkedMessages,
    SlaBreaches,
    Snapshot,
)
from deploy.opsview.sources import FileTail, named_files, read_all

SAMPLE = Path(__file__).parent / "fixtures" / "opsview_sample.log"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def seen(snapshot: Snapshot) -> str:
    """The view as a person reads it on a console."""
    console = Console(file=io.StringIO(), record=True)
    print_wide(console, render(snapshot))
    return console.export_text()


def figures_of(lines: list[str]) -> Figures:
    figures = Figures()
    for line in lines:
        figures.feed_line(line)
    return figures


@pytest.fixture(scope="module")
def sample_lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def snapshot(sample_lines: list[str]) -> Snapshot:
    return figures_of(sample_lines).snapshot(NOW)


def test_the_funnel_counts_distinct_orders_reaching_each_stage(snapshot: Snapshot) -> None:
    assert snapshot.funnel == (
        FunnelStage("placed", 8),
        FunnelStage("funded", 7),
        FunnelStage("shipped", 6),
        FunnelStage("delivered", 4),
        FunnelStage("completed", 2),
    )
    assert snapshot.cancelled == 1


def test_escrow_is_summed_per_currency_in_major_units(snapshot: Snapshot) -> None:
    # USD: funded 12500 + 4800 + 20000 + 3000 + 7500; released ord-1001; refunded the cancellation (3000,
    # from escrow) and a 500 decision after ord-1001's release (from the guarantee fund: not held money).
    assert snapshot.escrow == (
        EscrowBalance(
            "EUR",
            funded=Decimal("4200.00"),
            released=Decimal("0.00"),
            refunded=Decimal("0.00"),
            refunded_after_release=Decimal("0.00"),
            held=Decimal("4200.00"),
        ),
        EscrowBalance(
            "JPY",
            funded=Decimal(1500000),
            released=Decimal(1000000),
            refunded=Decimal(500000),
            refunded_after_release=Decimal(0),
            held=Decimal(0),
        ),
        EscrowBalance(
            "USD",
            funded=Decimal("47800.00"),
            released=Decimal("12500.00"),
            refunded=Decimal("3500.00"),
            refunded_after_release=Decimal("500.00"),
            held=Decimal("32300.00"),
        ),
    )


def test_a_cancellation_refund_is_counted_once_not_also_from_order_cancelled(snapshot: Snapshot) -> None:
    usd = next(balance for balance in snapshot.escrow if balance.currency == "USD")

    assert usd.refunded - usd.refunded_after_release == Decimal("3000.00")


def test_sla_breaches_count_missed_deadlines_and_compensation_paid(snapshot: Snapshot) -> None:
    assert snapshot.sla == (
        SlaBreaches("delivery", breaches=1, compensations=0, compensated=()),
        SlaBreaches("dispatch", breaches=1, compensations=1, compensated=(("USD", Decimal("100.00")),)),
    )


def test_open_disputes_are_grouped_by_reason_with_their_age(snapshot: Snapshot) -> None:
    # Resolved (defective, quality_not_as_agreed) and withdrawn (wrong_item) claims are not open.
    assert snapshot.disputes == (
        OpenDisputes("late_delivery", open=1, oldest=timedelta(hours=18), by_age=(1, 0, 0, 0)),
        OpenDisputes("quantity_short", open=1, oldest=timedelta(days=5, hours=3), by_age=(0, 0, 1, 0)),
    )


def test_parked_messages_are_counted_per_service_and_queue(snapshot: Snapshot) -> None:
    assert snapshot.parked == (
        ParkedMessages("logistics", "tradeguard.logistics.escrow-orders", 1, "KeyError('route_id')"),
    )
    assert snapshot.failed_attempts == 3


def test_http_latency_percentiles_and_error_rate_per_service_exclude_probes(snapshot: Snapshot) -> None:
    assert snapshot.http == (
        HttpFigures("catalog", 5, p50_ms=12.5, p99_ms=30.2, server_errors=0, error_rate=0.0),
        HttpFigures("disputes", 2, p50_ms=5.5, p99_ms=28.0, server_errors=0, error_rate=0.0),
        HttpFigures("escrow", 9, p50_ms=22.0, p99_ms=250.0, server_errors=2, error_rate=2 / 9),
        HttpFigures("logistics", 3, p50_ms=11.0, p99_ms=35.5, server_errors=0, error_rate=0.0),
        HttpFigures("all", 19, p50_ms=15.0, p99_ms=250.0, server_errors=2, error_rate=2 / 19),
    )


def test_lines_that_are_not_json_objects_are_skipped_and_counted(snapshot: Snapshot) -> None:
    assert (snapshot.lines, snapshot.skipped) == (89, 1)


def test_a_domain_event_logged_twice_by_the_relay_counts_once(sample_lines: list[str]) -> None:
    funded = next(line for line in sample_lines if '"escrow.order_funded"' in line and "ord-1001" in line)

    twice = figures_of([funded, funded]).snapshot(NOW)

    assert twice.funnel[1] == FunnelStage("funded", 1)
    assert twice.escrow[0].funded == Decimal("12500.00")


def test_the_figures_do_not_depend_on_the_order_lines_are_read(sample_lines: list[str]) -> None:
    assert figures_of(sample_lines[::-1]).snapshot(NOW) == figures_of(sample_lines).snapshot(NOW)


def test_ages_default_to_the_latest_time_in_the_logs(sample_lines: list[str]) -> None:
    figures = figures_of(sample_lines)

    # The last line logged is ord-1006's placement, at 09:00 and a few milliseconds.
    assert figures.latest is not None
    assert figures.latest.replace(microsecond=0) == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert figures.snapshot().now == figures.latest


def test_the_rendered_view_shows_every_figure(snapshot: Snapshot) -> None:
    text = seen(snapshot)

    for expected in ["Order funnel", "completed", "32300.00", "1500000", "100.00 USD", "quantity_short"]:
        assert expected in text
    assert "tradeguard.logistics.escrow-orders" in text
    assert "22.22%" in text


def test_each_figure_is_a_titled_table_with_one_line_per_row(snapshot: Snapshot) -> None:
    lines = [line.split() for line in seen(snapshot).splitlines()]

    escrow = lines.index(["Escrow", "(major", "units)"])
    assert lines[escrow + 1] == ["currency", "funded", "released", "refunded", "after", "release", "held"]
    assert ["USD", "47800.00", "12500.00", "3500.00", "500.00", "32300.00"] in lines[escrow + 3 : escrow + 6]
    assert ["escrow", "9", "22.0", "250.0", "2", "22.22%"] in lines
    assert ["logistics", "tradeguard.logistics.escrow-orders", "1", "KeyError('route_id')"] in lines


def test_a_figure_without_rows_says_none() -> None:
    text = seen(Figures().snapshot(NOW))

    assert "SLA breaches\n  (none)" in text
    assert "(cancelled)" in text  # the funnel always has its stages


def test_the_command_reads_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SAMPLE), "--now", NOW.isoformat()]) == 0

    assert capsys.readouterr().out == seen(figures_of(SAMPLE.read_text().splitlines()).snapshot(NOW))


def test_following_stdin_shows_the_view_until_the_input_ends(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(SAMPLE.read_text()))

    assert main(["-", "--follow", "--interval", "0.01", "--now", NOW.isoformat()]) == 0

    assert "32300.00" in capsys.readouterr().out


def test_the_command_reads_stdin_without_files(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(SAMPLE.read_text()))

    assert main(["--now", NOW.isoformat()]) == 0

    assert "32300.00" in capsys.readouterr().out


def test_read_all_treats_a_dash_as_stdin(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    path.write_text("file\n")

    assert list(read_all([str(path), "-"], io.StringIO("piped\n"))) == ["file\n", "piped\n"]


def test_following_a_file_returns_only_complete_new_lines(tmp_path: Path) -> None:
    log = tmp_path / "escrow.log"
    log.write_text('{"event": "a"}\n{"event": "b"')
    tail = FileTail(named_files([str(log)]))

    assert tail.poll() == ['{"event": "a"}']
    with log.open("a") as handle:
        handle.write('}\n{"event": "c"}\n')
    assert tail.poll() == ['{"event": "b"}', '{"event": "c"}']
    assert tail.poll() == []


def test_following_restarts_a_truncated_file(tmp_path: Path) -> None:
    log = tmp_path / "escrow.log"
    log.write_text(json.dumps({"event": "old"}) + "\n" + json.dumps({"event": "older"}) + "\n")
    tail = FileTail(named_files([str(log)]))
    tail.poll()

    log.write_text('{"event": "new"}\n')

    assert tail.poll() == ['{"event": "new"}']
