"""Schemathesis' coverage phase over one running service: boundary and just-past-boundary values of every
parameter and body field its document bounds (minimum, maximum, maxLength, maxItems, enums, formats), and
each of them missing or of the wrong type. Deterministic: the same document always sends the same cases.
"""

from __future__ import annotations

import itertools
from typing import Any

import requests
from schemathesis.core.result import Ok
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.overrides import Override

from tests.fuzz.runner import CHECKS, MAX_REQUEST_LINE, MODES, Callers, FuzzReport, load, request_line_length

# Per operation: the coverage phase lists its cases field by field, so the first ones already reach every
# bounded field of most operations; the cap keeps the suite within its time budget.
MAX_BOUNDARY_CASES = 40


def fuzz_boundaries(service: str, spec: dict[str, Any], base_url: str, callers: Callers) -> FuzzReport:
    """Send each operation its boundary cases; failures are collected per operation, not raised."""
    schema = load(spec, base_url)
    report = FuzzReport(service)
    with requests.Session() as session:
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), f"{service}: an operation in /openapi.json cannot be fuzzed"
            operation = result.ok()
            generator = CoverageGenerator(
                operation=operation,
                generation_modes=list(MODES),
                generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
                auth_storage=None,
                override=Override(),
                feedback=FeedbackSources(),
            )
            cases = (case for case in generator if request_line_length(case) <= MAX_REQUEST_LINE)
            for case in itertools.islice(cases, MAX_BOUNDARY_CASES):
                report.cases[operation.label] += 1
                headers = callers.headers(case)
                response = case.call(session=session, headers=headers)
                report.statuses[response.status_code] += 1
                try:
                    case.validate_response(
                        response,
                        checks=CHECKS,
                        headers=headers,
                        transport_kwargs={"session": session, "headers": headers},
                    )
                except (Exception, BaseExceptionGroup) as error:
                    report.failures.setdefault(
                        f"{operation.label} [boundary]", f"{type(error).__name__}: {error}"
                    )
    return report
