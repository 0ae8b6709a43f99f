"""Schemathesis over one running service's OpenAPI document: bounded, seeded, authenticated.

`fuzz` sends each operation a fixed number of generated cases per generation mode (schema-conforming and
schema-violating); `fuzz_links` runs schemathesis' state machine, which chains calls along the document's
OpenAPI links (create, then act on what was created). Every response must pass `CHECKS`. The calls block
(schemathesis uses `requests`), so callers run these in a worker thread while the service keeps serving on
the test's event loop.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.core.transport import Response
from schemathesis.generation.stateful.state_machine import StepInput, StepOutput
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema

from shared.http.idempotency import HEADER as IDEMPOTENCY_HEADER
from shared.http.idempotency import MUTATING_METHODS

# No 5xx, and every response is a documented status with its documented content type and body schema.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)

# aiohttp's HTTP parser answers a longer request line itself (a plain-text 400) before any route or
# middleware runs: such a request tests the HTTP library's limit, not this API's contract.
MAX_REQUEST_LINE = 8190

# The caller each operation is fuzzed as: the first of these its route admits. Parties before operators,
# since most routes are the buyer's or the supplier's and operators are the narrowest roles.
ROLE_PREFERENCE = ("buyer", "supplier", "ops:verification", "ops:mediator", "ops:finance", "ops:platform")

AnyCase: TypeAlias = schemathesis.Case[Any]
AnyOperation: TypeAlias = schemathesis.APIOperation[Any, Any, Any, Any]
# A bearer token for (role, subject): the role is one named in an operation's `x-roles`.
TokenFor = Callable[[str, str], str]


@dataclass
class FuzzReport:
    """What one service's run sent and what broke, per operation label (`POST /v1/products`)."""

    service: str
    cases: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: dict[str, str] = field(default_factory=dict)
    # Stateful runs: calls whose path parameters came from an earlier response through a link, and how
    # many of those the service accepted (2xx), i.e. reached a resource created in the same scenario.
    linked_calls: int = 0
    linked_successes: int = 0

    @property
    def total_cases(self) -> int:
        return self.cases.total()


def strict_statuses(spec: dict[str, Any]) -> dict[str, Any]:
    """The document without its `default` responses.

    `default` matches every status, which would make status-code conformance vacuous: fuzzing the strict
    copy proves that every status a service answers with is declared explicitly.
    """
    strict = dict(spec, paths={})
    for path, operations in spec["paths"].items():
        strict["paths"][path] = {
            method: dict(operation, responses=_without_default(operation["responses"]))
            for method, operation in operations.items()
        }
    return strict


class Callers:
    """The headers each case is sent with: a token for a role its route admits, an Idempotency-Key."""

    def __init__(self, token_for: TokenFor, *, fresh_keys: bool = False) -> None:
        self._token_for = token_for
        self._fresh_keys = fresh_keys
        self._keys = (f"fuzz-{n}" for n in itertools.count())
        self._tokens: dict[str, str] = {}
        self._identity = 0

    def new_identities(self) -> None:
        """Every role acts as a new subject from now on: a supplier who has not registered yet, etc."""
        self._identity += 1
        self._tokens.clear()

    def token(self, role: str) -> str:
        if role not in self._tokens:
            subject = f"fuzz-{role.replace(':', '-')}-{self._identity}"
            self._tokens[role] = self._token_for(role, subject)
        return self._tokens[role]

    @property
    def tokens_sent(self) -> list[str]:
        """The bearer tokens of the current identities: every one sent since the last `new_identities`."""
        return list(self._tokens.values())

    def headers(self, case: AnyCase) -> dict[str, str]:
        sent: dict[str, str] = {}
        roles: list[str] = case.operation.definition.raw.get("x-roles", [])
        if roles:
            sent["Authorization"] = f"Bearer {self.token(_reaching_role(roles))}"
        # A generated Idempotency-Key is kept (it may be deliberately invalid) unless keys must be fresh;
        # otherwise each mutation gets a new one, so the idempotency layer is on every mutating case's path.
        generated = IDEMPOTENCY_HEADER in (case.headers or {})
        if case.method.upper() in MUTATING_METHODS and (self._fresh_keys or not generated):
            sent[IDEMPOTENCY_HEADER] = next(self._keys)
        return sent


def fuzz(
    service: str, spec: dict[str, Any], base_url: str, callers: Callers, *, max_examples: int
) -> FuzzReport:
    """Fuzz every operation of `spec` against `base_url`; failures are collected, not raised."""
    schema = load(spec, base_url)
    report = FuzzReport(service)
    with requests.Session() as session:
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), f"{service}: an operation in /openapi.json cannot be fuzzed"
            operation = result.ok()
            for mode in _modes(operation.definition.raw):
                failure = _fuzz_operation(operation, mode, session, callers, report, max_examples)
                if failure is not None:
                    report.failures[f"{operation.label} [{mode.value}]"] = failure
    return report


def fuzz_links(
    service: str, spec: dict[str, Any], base_url: str, callers: Callers, *, scenarios: int, steps: int
) -> FuzzReport:
    """Run `scenarios` seeded call sequences of up to `steps` calls, following the document's links."""
    report = FuzzReport(service)
    schema = load(spec, base_url)
    # Chains only go on from a created resource, so scenarios send schema-conforming requests.
    schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE])
    with requests.Session() as session:

        class Linked(schema.as_state_machine()):  # type: ignore[misc]
            def setup(self) -> None:
                # Each scenario starts with parties new to the service, so creating (registering a supplier,
                # say) can succeed again instead of conflicting with an earlier scenario's resource.
                callers.new_identities()

            def step(self, input: StepInput) -> StepOutput:
                output: StepOutput = super().step(input)
                report.cases[input.case.operation.label] += 1
                report.statuses[output.response.status_code] += 1
                if input.transition is not None and input.is_applied:
                    report.linked_calls += 1
                    report.linked_successes += output.response.status_code < 300
                return output

            def get_call_kwargs(self, case: AnyCase) -> dict[str, Any]:
                return {"session": session, "headers": callers.headers(case)}

            def validate_response(
                self,
                response: Response,
                case: AnyCase,
                additional_checks: Any = None,
                **kwargs: Any,
            ) -> None:
                case.validate_response(
                    response, checks=CHECKS, headers=kwargs.get("headers"), transport_kwargs=kwargs
                )

        try:
            Linked.run(settings=_bounded(scenarios, stateful_step_count=steps))
        except (Exception, BaseExceptionGroup) as error:
            report.failures["linked calls"] = f"{type(error).__name__}: {error}"
    return report


def load(spec: dict[str, Any], base_url: str) -> OpenApiSchema:
    schema = schemathesis.openapi.from_dict(spec)
    schema.config.update(base_url=base_url)
    return schema


def _bounded(max_examples: int, **extra: Any) -> settings:
    # Seeded and database-free, so every run sends the same cases; no shrinking keeps the runtime bounded
    # (a failure report carries the exact request to replay).
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        **extra,
    )


def _modes(operation: dict[str, Any]) -> tuple[schemathesis.GenerationMode, ...]:
    # Schema-violating cases need something to violate: a parameter or a body.
    if "parameters" in operation or "requestBody" in operation:
        return MODES
    return MODES[:1]


def _fuzz_operation(
    operation: AnyOperation,
    mode: schemathesis.GenerationMode,
    session: requests.Session,
    callers: Callers,
    report: FuzzReport,
    max_examples: int,
) -> str | None:
    """Run one operation in one mode; the failure text, or None when every case passed."""

    @_bounded(max_examples)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: AnyCase) -> None:
        assume(request_line_length(case) <= MAX_REQUEST_LINE)
        report.cases[operation.label] += 1
        headers = callers.headers(case)
        response = case.call(session=session, headers=headers)
        report.statuses[response.status_code] += 1
        case.validate_response(
            response,
            checks=CHECKS,
            headers=headers,
            transport_kwargs={"session": session, "headers": headers},
        )

    try:
        run()
    except Unsatisfiable:
        # A schema may leave nothing to violate (a path segment accepts any string): no negative cases.
        if mode is not schemathesis.GenerationMode.NEGATIVE:
            raise
    # Schemathesis raises several failures of one case as a `FailureGroup`, a BaseExceptionGroup.
    except (Exception, BaseExceptionGroup) as error:
        return f"{type(error).__name__}: {error}"
    return None


def request_line_length(case: AnyCase) -> int:
    sent = case.as_transport_kwargs()
    prepared = requests.Request(sent["method"], sent["url"], params=sent.get("params")).prepare()
    return len(f"{sent['method']} {prepared.path_url} HTTP/1.1")


def _reaching_role(roles: list[str]) -> str:
    for role in ROLE_PREFERENCE:
        if role in roles:
            return role
    return roles[0]


def _without_default(responses: dict[str, Any]) -> dict[str, Any]:
    return {status: response for status, response in responses.items() if status != "default"}
