"""Schemathesis against each real service (HTTP over TCP, real broker and SecantusDB).

The rule: whatever a client sends, conforming to the published /openapi.json or not, a service answers
without a 5xx, with a status its document declares, in the declared content type and body schema.
"""

from __future__ import annotations

import asyncio

import pytest

from shared.security.keys import DevKeys
from tests.fuzz.boundaries import fuzz_boundaries
from tests.fuzz.runner import FuzzReport, fuzz, fuzz_links, strict_statuses
from tests.fuzz.targets import SERVICES, start_target
from tests.support.services import StartService, Tokens

# Per operation and generation mode; with ~100 operations this keeps the suite within its time budget.
MAX_EXAMPLES = 10
# Stateful: seeded call sequences per service, each up to STEPS calls long.
SCENARIOS = 30
STEPS = 6


def fail_on(report: FuzzReport) -> None:
    if report.failures:
        pytest.fail(
            "\n\n".join(f"{label}:\n{detail}" for label, detail in report.failures.items()), pytrace=False
        )


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_fuzzed_requests_get_no_5xx_and_only_documented_responses(
    service: str,
    start_service: StartService,
    tokens: Tokens,
    quote_keys: DevKeys,
    fuzz_reports: list[FuzzReport],
) -> None:
    target = await start_target(service, start_service, tokens, quote_keys)

    # Blocking HTTP calls in a worker thread; this loop keeps serving them.
    report = await asyncio.to_thread(
        fuzz,
        service,
        strict_statuses(target.spec),
        target.base_url,
        target.callers,
        max_examples=MAX_EXAMPLES,
    )
    fuzz_reports.append(report)

    assert report.total_cases > 0
    fail_on(report)


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_boundary_values_of_every_operation_get_no_5xx_and_only_documented_responses(
    service: str,
    start_service: StartService,
    tokens: Tokens,
    quote_keys: DevKeys,
    fuzz_reports: list[FuzzReport],
) -> None:
    # Given a service, when every operation is sent the values at and just past each of its bounds
    target = await start_target(service, start_service, tokens, quote_keys)

    report = await asyncio.to_thread(
        fuzz_boundaries,
        f"{service} (boundaries)",
        strict_statuses(target.spec),
        target.base_url,
        target.callers,
    )
    fuzz_reports.append(report)

    # Then every answer is a documented, non-5xx response
    assert report.total_cases > 0
    fail_on(report)


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_calls_chained_along_openapi_links_get_no_5xx_and_only_documented_responses(
    service: str,
    start_service: StartService,
    tokens: Tokens,
    quote_keys: DevKeys,
    fuzz_reports: list[FuzzReport],
) -> None:
    # A generated key repeated with another body would be refused as reused, cutting the chain short.
    target = await start_target(service, start_service, tokens, quote_keys, fresh_keys=True)
    assert any(
        "links" in response
        for operations in target.spec["paths"].values()
        for operation in operations.values()
        for response in operation["responses"].values()
    ), f"{service} documents no OpenAPI links to follow"

    report = await asyncio.to_thread(
        fuzz_links,
        f"{service} (links)",
        strict_statuses(target.spec),
        target.base_url,
        target.callers,
        scenarios=SCENARIOS,
        steps=STEPS,
    )
    fuzz_reports.append(report)

    assert report.total_cases > 0
    fail_on(report)
