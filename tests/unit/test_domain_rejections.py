"""A 422 reads the same whoever refused the input: pydantic, or a rule of any service's domain.

Every error class a service maps to 422 has a case here; a new one without a case fails the suite.
"""

from __future__ import annotations

import pytest

from services.catalog.app import ERROR_STATUSES as CATALOG
from services.catalog.domain.errors import InvalidFieldError
from services.disputes.app import ERROR_STATUSES as DISPUTES
from services.disputes.domain import errors as disputes
from services.escrow.app import ERROR_STATUSES as ESCROW
from services.escrow.domain.errors import InvalidContractTermsError, QuoteNotUsableError
from services.logistics.app import ERROR_STATUSES as LOGISTICS
from services.logistics.domain import errors as logistics
from shared.http.problems import WHOLE_REQUEST, ErrorStatuses, problem_for
from shared.time_zones import DestinationZoneRefused

SERVICES: dict[str, ErrorStatuses] = {
    "catalog": CATALOG,
    "escrow": ESCROW,
    "logistics": LOGISTICS,
    "disputes": DISPUTES,
}
# One refusal of each 422 error class, and the field its problem names.
CASES: list[tuple[str, Exception, str]] = [
    ("catalog", InvalidFieldError("tiers.1.min_qty", "must exceed the previous tier"), "tiers.1.min_qty"),
    ("escrow", InvalidContractTermsError("the amended terms are not valid"), WHOLE_REQUEST),
    ("escrow", QuoteNotUsableError("quote_expired", "quote q-1 expired"), "quote"),
    (
        "escrow",
        DestinationZoneRefused("destination_timezone", "US keeps several clocks"),
        "destination_timezone",
    ),
    (
        "logistics",
        DestinationZoneRefused("destination_timezone", "BR keeps several clocks"),
        "destination_timezone",
    ),
    ("logistics", logistics.WeightRequiredError("give the weight in grams"), "weight_grams"),
    ("logistics", logistics.RouteCurrencyMismatchError("goods in EUR, route in USD"), WHOLE_REQUEST),
    ("logistics", logistics.UnknownTrackingStatusError("unknown carrier status 'Lost?'"), "status"),
    ("logistics", logistics.MeasurementMissingError("no measurement for: defect_rate"), "measurements"),
    ("logistics", logistics.NotEligibleForEasyReturnError("window closed", "window_closed"), WHOLE_REQUEST),
    ("disputes", disputes.InvalidAmountError("a full_refund carries no refund amount"), WHOLE_REQUEST),
    ("disputes", disputes.RefundExceedsRefundableError("USD 10.00 is refundable"), WHOLE_REQUEST),
    ("disputes", disputes.InvalidDecisionError("a partial refund needs an amount"), WHOLE_REQUEST),
    ("disputes", disputes.InvalidDeadlineError("evidence deadline must be 1 to 7 days"), WHOLE_REQUEST),
]


@pytest.mark.parametrize(("service", "error", "field"), CASES, ids=[type(case[1]).__name__ for case in CASES])
def test_a_domain_rejection_names_its_field_like_a_validation_error(
    service: str, error: Exception, field: str
) -> None:
    # Given a rule of the service's domain that refuses the input
    # When it is answered over HTTP
    problem = problem_for(error, SERVICES[service])

    # Then it is a 422 with the `errors` member validation errors carry
    assert problem is not None
    assert problem.status == 422
    assert problem.to_dict()["errors"] == [{"field": field, "message": str(error)}]


def test_every_422_error_of_every_service_has_a_case() -> None:
    mapped = {
        (service, cls) for service, statuses in SERVICES.items() for cls, s in statuses.items() if s == 422
    }
    covered = {(service, type(error)) for service, error, _ in CASES}
    assert mapped == covered
