"""Each kind of failure has one HTTP status, unless the service maps its own error more precisely."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import services
import shared
from shared.errors import Conflict, Rejected, Transient
from shared.http.problems import ErrorStatuses, Problem, problem_for, status_of


class QuoteExpired(Rejected):
    code = "quote_expired"


class OrderUnknownYet(Conflict):
    code = "order_not_found"


def rendered(error: Exception, statuses: ErrorStatuses) -> Problem:
    problem = problem_for(error, statuses)
    assert problem is not None
    return problem


def test_a_conflict_is_409_and_a_transient_failure_503_without_any_mapping() -> None:
    conflict = rendered(Conflict("order o-1 changed meanwhile"), {})
    unavailable = rendered(Transient("carrier unreachable"), {})

    assert (conflict.status, conflict.type_slug) == (409, "concurrent-change")
    assert unavailable.status == 503


def test_a_services_own_mapping_wins_over_the_kind_of_its_error() -> None:
    statuses: ErrorStatuses = {QuoteExpired: 422, OrderUnknownYet: 404}

    expired = rendered(QuoteExpired("quote q-1 expired"), statuses)

    assert (expired.status, expired.type_slug) == (422, "quote-expired")
    assert rendered(OrderUnknownYet("order o-1 not known yet"), statuses).status == 404
    assert rendered(Rejected("a rule refused it"), statuses).status == 400


# Raised only outside any request (at start-up, or inside the consumer, which handles each itself).
NEVER_ON_A_REQUEST = {
    "shared.http.openapi.AmbiguousSchema": "building the OpenAPI document at start-up",
    "shared.messaging.inbox.AlreadyProcessed": "the consumer acknowledges a duplicate delivery",
    "shared.messaging.inbox.BeingApplied": "the consumer sends a redelivery to its next retry tier",
    "shared.messaging.consumer.UnknownMessage": "the consumer parks a message no handler takes",
}


def error_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined in shared/ and in any service, by its dotted name."""
    found: dict[str, type[BaseException]] = {}
    for package in (shared, services):
        for module_info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            # The console answers people with pages, not problem documents (services/console/guard.py).
            if module_info.name.endswith("__main__") or module_info.name.startswith("services.console"):
                continue
            module = importlib.import_module(module_info.name)
            for value in vars(module).values():
                # A private base (shared.errors._Failure) is never raised itself.
                is_error = isinstance(value, type) and issubclass(value, BaseException)
                if is_error and value.__module__ == module.__name__ and not value.__name__.startswith("_"):
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def service_statuses(name: str) -> ErrorStatuses:
    if not name.startswith("services."):
        return {}
    app = importlib.import_module(f"services.{name.split('.')[1]}.app")
    statuses: ErrorStatuses = app.ERROR_STATUSES
    return statuses


ERRORS = error_classes()


@pytest.mark.parametrize("name", sorted(set(ERRORS) - set(NEVER_ON_A_REQUEST)))
def test_every_error_class_has_a_problem_type(name: str) -> None:
    # Given an error class of the platform or of a service (a Problem is its own answer)
    error_type = ERRORS[name]
    if issubclass(error_type, Problem):
        return

    # When its service (or the platform) answers it over HTTP
    status = status_of(error_type, service_statuses(name))

    # Then it has a status of its own and a stable code for its problem type, never an opaque 500
    assert status is not None, f"{name} has no problem type: map it in its service's ERROR_STATUSES"
    assert 400 <= status < 600
    assert isinstance(getattr(error_type, "code", None), str), f"{name} has no `code`"


def test_the_errors_said_never_to_reach_a_request_still_exist() -> None:
    assert set(NEVER_ON_A_REQUEST) <= set(ERRORS)
