"""Another buyer or another supplier reaches nothing of a trade they are not party to.

Every object endpoint of every service is tried with an intruder's token, and with an impostor's: a
party's own id under the other party's role (the buyer's id in a supplier token). Someone else's object
answers 404 (its existence is not revealed), a role the route refuses or an action on a public object
answers 403, and the trade's state is unchanged. A test checks that the table covers every path
parameter route each service's /openapi.json declares, so a new endpoint without a case fails the suite.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from deploy.journey import money
from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from deploy.local.stack import SERVICES
from tests.security.probe import send
from tests.security.trade import Trade

INTRUDER_ROLES = ("buyer", "supplier")
RATING = {"stars": 1, "quality": 1, "service": 1, "delivery": 1}
ROUTE_TERMS = {
    "origin_country": "CN",
    "destination_country": "US",
    "carrier_service": "sea-freight",
    "transit_days": 30,
    "destination_timezone": "America/New_York",
    "price_per_unit": money(1),
}


@dataclass(frozen=True)
class Endpoint:
    """One object endpoint; `public` objects are readable by anyone, so changing them is a 403, not a 404."""

    service: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    public: bool = False
    id: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", f"{self.service} {self.method} {self.path}")


SUPPLIER = "/v1/suppliers/{supplier_id}"
ORDER = "/v1/orders/{order_id}"
CLAIM = "/v1/disputes/{claim_id}"
# The platform's own ops API, on every service.
PARKED_MESSAGE = "/v1/ops/parked-messages/{parked_id}"
ENDPOINTS = [
    Endpoint("catalog", "PATCH", SUPPLIER, {"staff_count": 1}, public=True),
    Endpoint("catalog", "GET", SUPPLIER, public=True),
    Endpoint("catalog", "GET", f"{SUPPLIER}/reviews", public=True),
    Endpoint("catalog", "GET", f"{SUPPLIER}/products", public=True),
    Endpoint("catalog", "POST", f"{SUPPLIER}/audits", {}),
    Endpoint("catalog", "POST", f"{SUPPLIER}/credential-checks", {}),
    Endpoint("catalog", "POST", f"{SUPPLIER}/gold-memberships", {}),
    Endpoint("catalog", "POST", f"{SUPPLIER}/certifications", {}),
    Endpoint("catalog", "POST", f"{SUPPLIER}/client-cases", {}),
    Endpoint("catalog", "PUT", f"{SUPPLIER}/certifications/{{number}}/status", {}),
    Endpoint("catalog", "PUT", f"{SUPPLIER}/export-performance", {}),
    Endpoint("catalog", "PUT", f"{SUPPLIER}/trade-assurance", {"enrolled": False}),
    Endpoint("catalog", "PATCH", "/v1/products/{product_id}", {"moq": 1_000_000}, public=True),
    Endpoint("catalog", "GET", "/v1/products/{product_id}", public=True),
    Endpoint("catalog", "GET", "/v1/products/{product_id}/reviews", public=True),
    Endpoint("catalog", "PATCH", "/v1/reviews/{review_id}", {"rating": RATING}, public=True),
    Endpoint("catalog", "POST", "/v1/reviews/{review_id}/reply", {"text": "Fake reply."}, public=True),
    Endpoint("escrow", "GET", ORDER),
    Endpoint("escrow", "POST", f"{ORDER}/amendments", {"quantity": 300}),
    Endpoint("escrow", "POST", f"{ORDER}/amendments/{{version}}/accept"),
    Endpoint("escrow", "POST", f"{ORDER}/amendments/{{version}}/decline"),
    Endpoint("escrow", "POST", f"{ORDER}/production-started"),
    Endpoint("escrow", "POST", f"{ORDER}/cancel", {"reason": "Changed my mind."}),
    Endpoint("escrow", "POST", f"{ORDER}/confirm-receipt"),
    Endpoint("escrow", "POST", f"{ORDER}/compensation-claims", {"deadline": "delivery"}),
    Endpoint("escrow", "POST", f"{ORDER}/payments"),
    Endpoint("escrow", "GET", f"{ORDER}/timeline"),
    Endpoint("escrow", "GET", f"{ORDER}/ledger-entries"),
    Endpoint("logistics", "PUT", "/v1/routes/{route_id}", ROUTE_TERMS),
    Endpoint("logistics", "GET", "/v1/shipments/{shipment_id}"),
    Endpoint("logistics", "GET", f"{ORDER}/shipment"),
    Endpoint(
        "logistics",
        "POST",
        "/v1/shipments/{shipment_id}/dispatch",
        {"carrier": "ups", "tracking_number": "1Z0"},
    ),
    Endpoint("logistics", "GET", "/v1/inspections/{inspection_id}"),
    Endpoint("logistics", "GET", "/v1/returns/{return_id}"),
    Endpoint("disputes", "GET", CLAIM),
    Endpoint("disputes", "GET", f"{ORDER}/disputes"),
    Endpoint("disputes", "POST", f"{CLAIM}/offers", {"outcome": "partial_refund", "refund": money(100)}),
    Endpoint("disputes", "POST", f"{CLAIM}/accept"),
    Endpoint("disputes", "POST", f"{CLAIM}/reject"),
    Endpoint("disputes", "POST", f"{CLAIM}/escalate"),
    Endpoint("disputes", "POST", f"{CLAIM}/withdraw"),
    Endpoint("disputes", "POST", f"{CLAIM}/mediation"),
    Endpoint("disputes", "GET", f"{CLAIM}/case-file"),
    Endpoint("disputes", "POST", f"{CLAIM}/evidence-requests", {}),
    Endpoint("disputes", "POST", f"{CLAIM}/decision", {}),
    Endpoint("disputes", "POST", f"{ORDER}/messages", {"body": "Pay me by wire instead."}),
    Endpoint("disputes", "GET", f"{ORDER}/messages"),
    Endpoint("disputes", "GET", f"{ORDER}/messages/verify"),
    Endpoint("disputes", "POST", f"{CLAIM}/evidence", {"body": "Forged evidence."}),
    Endpoint("disputes", "GET", f"{CLAIM}/evidence"),
    Endpoint(
        "disputes",
        "POST",
        f"{ORDER}/after-sales-requests",
        {"label": "free_replacement_parts", "description": "x"},
    ),
    Endpoint("disputes", "GET", "/v1/after-sales-requests/{request_id}"),
    Endpoint("disputes", "POST", "/v1/after-sales-requests/{request_id}/fulfil"),
    *(
        endpoint
        for service in SERVICES
        for endpoint in (
            Endpoint(service, "GET", PARKED_MESSAGE),
            Endpoint(service, "POST", f"{PARKED_MESSAGE}/replay"),
            Endpoint(service, "POST", f"{PARKED_MESSAGE}/discard", {"reason": "Not mine to drop."}),
        )
    ),
]


@pytest.fixture(scope="module")
async def roles(client: PlatformClient) -> dict[str, list[str]]:
    """The roles each token-protected operation admits, as each service's OpenAPI document declares them."""
    declared: dict[str, list[str]] = {}
    for service in SERVICES:
        document = await client.call(service, "GET", "/openapi.json")
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                if operation.get("security"):
                    declared[f"{service} {method.upper()} {path}"] = operation["x-roles"]
    return declared


def test_every_object_endpoint_of_every_service_has_a_cross_party_case(roles: dict[str, list[str]]) -> None:
    # Provider webhooks and sandbox controls take no token (security: []): tests/security/test_webhooks.py.
    object_endpoints = {operation for operation in roles if "{" in operation}
    assert object_endpoints - {endpoint.id for endpoint in ENDPOINTS} == set(), "endpoints without a case"
    assert {endpoint.id for endpoint in ENDPOINTS} - object_endpoints == set(), "cases of removed endpoints"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[endpoint.id for endpoint in ENDPOINTS])
async def test_another_buyer_or_supplier_neither_sees_nor_changes_a_trade(
    settled_trade: Trade, roles: dict[str, list[str]], endpoint: Endpoint
) -> None:
    # Given a settled trade
    trade = settled_trade
    before = await trade.state()

    for intruder in INTRUDER_ROLES:
        # When someone who is not party to it calls the endpoint on the trade's objects
        token = trade.client.token(f"{intruder}-intruder-{uuid.uuid4().hex[:6]}", intruder, tier_of(intruder))
        path = trade.fill(endpoint.path)
        answer = await send(
            trade.client, endpoint.service, endpoint.method, path, token=token, json=endpoint.body
        )

        # Then the answer reveals nothing
        expected = expected_status(endpoint, intruder, roles[endpoint.id])
        if expected == 200:
            assert answer.status == 200, (intruder, answer)
        else:
            assert answer.is_problem(expected), (intruder, expected, answer)

    # And the trade is as it was
    assert await trade.state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[endpoint.id for endpoint in ENDPOINTS])
async def test_a_partys_id_under_the_other_partys_role_neither_sees_nor_changes_a_trade(
    settled_trade: Trade, roles: dict[str, list[str]], endpoint: Endpoint
) -> None:
    # Given a settled trade, its buyer's id and its supplier's id
    trade = settled_trade
    before = await trade.state()
    buyer_id, supplier_id = trade.parties(endpoint.path)

    for subject, role in ((buyer_id, "supplier"), (supplier_id, "buyer")):
        # When one party's id calls the endpoint under the other party's role
        token = trade.client.token(subject, role, tier_of(role))
        path = trade.fill(endpoint.path)
        answer = await send(
            trade.client, endpoint.service, endpoint.method, path, token=token, json=endpoint.body
        )

        # Then it is nobody to the trade: the answer is the one a stranger in that role gets
        expected = expected_status(endpoint, role, roles[endpoint.id])
        if expected == 200:
            assert answer.status == 200, (subject, role, answer)
        else:
            assert answer.is_problem(expected), (subject, role, expected, answer)

    # And the trade is as it was
    assert await trade.state() == before


def expected_status(endpoint: Endpoint, intruder: str, admitted: list[str]) -> int:
    if intruder not in admitted:
        return 403
    if endpoint.public:
        return 200 if endpoint.method == "GET" else 403
    return 404


def tier_of(role: str) -> str | None:
    return "standard" if role == "buyer" else None


@pytest.fixture(scope="module")
async def settled_trade(trade: Trade) -> Trade:
    """The trade once the events of its making have stopped changing it (projections caught up)."""
    last: dict[str, Any] = {}

    async def unchanged() -> bool:
        current = await trade.state()
        settled = current == last
        last.clear()
        last.update(current)
        return settled

    await eventually(unchanged, interval=0.3)
    return trade
