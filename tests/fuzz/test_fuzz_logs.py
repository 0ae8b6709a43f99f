"""Quiet, safe logs under hostile input: a fuzz run's logs hold no token bytes and no error-level line."""

from __future__ import annotations

import asyncio
import logging

import pytest
import structlog

from shared.security.keys import DevKeys
from tests.fuzz.boundaries import fuzz_boundaries
from tests.fuzz.runner import strict_statuses
from tests.fuzz.targets import start_target
from tests.support.services import StartService, Tokens

# A JWT's first segment, whatever its claims: base64url of `{"`.
JWT_PREFIX = "eyJ"


async def test_a_fuzz_run_logs_no_token_bytes_and_no_error_caused_by_client_input(
    start_service: StartService, tokens: Tokens, quote_keys: DevKeys, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a service fuzzed with values at and past every bound, every call carrying a bearer token
    target = await start_target("catalog", start_service, tokens, quote_keys)

    # When its logs are captured over the run, at the level production logs at (the MongoDB driver's debug
    # lines, which quote whole commands, are no log a service writes)
    with structlog.testing.capture_logs() as logs, caplog.at_level(logging.INFO):
        report = await asyncio.to_thread(
            fuzz_boundaries, "catalog", strict_statuses(target.spec), target.base_url, target.callers
        )
    written = str(logs) + caplog.text

    # Then nothing a client sent put a token in the logs, and nothing it sent was logged as an error
    assert report.total_cases > 0
    assert target.callers.tokens_sent
    for token in target.callers.tokens_sent:
        _, _, signature = token.rpartition(".")
        assert signature not in written
    assert JWT_PREFIX not in written
    assert "Bearer" not in written
    assert [line for line in logs if line["log_level"] in ("error", "critical", "exception")] == []
    assert [record for record in caplog.records if record.levelno >= logging.ERROR or record.exc_info] == []
