"""Each kind of failure has one HTTP status, unless the service maps its own error more precisely."""

from __future__ import annotations

from shared.errors import Conflict, Rejected, Transient
from shared.http.problems import ErrorStatuses, Problem, problem_for


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
