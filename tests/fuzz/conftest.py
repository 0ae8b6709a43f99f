"""Fuzz-suite plumbing: the real-service fixtures, and the per-service case counts printed at the end."""

from __future__ import annotations

import pytest

from tests.fuzz.runner import FuzzReport

# The integration suite's real-service fixtures and escrow's quote keys, shared rather than copied.
from tests.integration.conftest import start_service, tokens
from tests.integration.escrow.conftest import quote_keys

__all__ = ["quote_keys", "start_service", "tokens"]

# Filled by the tests, printed by `pytest_terminal_summary`: CI logs show how much was actually sent.
REPORTS: list[FuzzReport] = []


@pytest.fixture
def fuzz_reports() -> list[FuzzReport]:
    return REPORTS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not REPORTS:
        return
    terminalreporter.section("schemathesis cases")
    for report in REPORTS:
        linked = (
            f"; {report.linked_successes}/{report.linked_calls} linked calls accepted"
            if report.linked_calls
            else ""
        )
        statuses = " ".join(f"{status}×{count}" for status, count in sorted(report.statuses.items()))
        terminalreporter.write_line(
            f"{report.service}: {report.total_cases} cases over {len(report.cases)} operations, "
            f"{len(report.failures)} failing{linked}; statuses {statuses}"
        )
    terminalreporter.write_line(f"total: {sum(report.total_cases for report in REPORTS)} cases")
