"""Clients cannot set what the server owns: ids, owners, statuses, amounts, badges, verification, times.

Every input model forbids unknown fields (each service's /openapi.json says so for every request body, down
to nested objects), and a body naming a server-owned field is refused with 422 and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from deploy.journey import money
from deploy.local.client import PlatformClient
from deploy.local.stack import SERVICES
from tests.security.probe import send
from tests.security.trade import Trade


def object_schemas(schema: Any, components: dict[str, Any], seen: set[str]) -> Iterator[tuple[str, Any]]:
    """Every object schema reachable from `schema`, named by where it was found."""
    if isinstance(schema, dict):
        if (ref := schema.get("$ref")) is not None:
            name = str(ref).rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                yield from object_schemas(components[name], components, seen)
            return
        if schema.get("type") == "object" and "properties" in schema:
            yield str(schema.get("title", "?")), schema
        for value in schema.values():
            yield from object_schemas(value, components, seen)
    elif isinstance(schema, list):
        for item in schema:
            yield from object_schemas(item, components, seen)


async def test_every_request_body_of_every_service_forbids_unknown_fields(client: PlatformClient) -> None:
    open_models: list[str] = []
    unread_bodies: list[str] = []
    for service in SERVICES:
        document = await client.call(service, "GET", "/openapi.json")
        components = document.get("components", {}).get("schemas", {})
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                if "requestBody" not in operation:
                    continue
                operation_id = f"{service} {method.upper()} {path}"
                body = operation["requestBody"].get("content", {}).get("application/json", {})
                schemas = list(object_schemas(body.get("schema"), components, set()))
                if not schemas:
                    unread_bodies.append(operation_id)
                open_models += [
                    f"{operation_id}: {name}"
                    for name, schema in schemas
                    if schema.get("additionalProperties") is not False
                ]
    assert unread_bodies == []
    assert open_models == []


@dataclass(frozen=True)
class Attempt:
    """A valid body from the rightful party, plus fields only the server may set."""

    service: str
    method: str
    path: str
    party: str
    body: dict[str, Any]
    server_owned: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.service} {self.method} {self.path} +{','.join(self.server_owned)}"


RATING = {"stars": 5, "quality": 5, "service": 5, "delivery": 5}
PROFILE = {
    "legal_name": "Shadow Trading Ltd.",
    "country": "CN",
    "year_established": 2001,
    "main_markets": ["US"],
    "staff_count": 40,
    "factory_size_m2": 2000,
}
TERMS = {
    "title": "Ceramic mug 350 ml",
    "category_id": "drinkware",
    "parent_category_id": "kitchen",
    "moq": 100,
    "order_multiple": 10,
    "currency": "USD",
    "tiers": [{"min_qty": 100, "unit_price": money(300)}],
}
ORDER = "/v1/orders/{order_id}"
ATTEMPTS = [
    Attempt(
        "catalog",
        "POST",
        "/v1/suppliers",
        "newcomer",
        PROFILE,
        {"badges": ["verified_pro"], "verified": True},
    ),
    Attempt(
        "catalog",
        "POST",
        "/v1/suppliers",
        "newcomer",
        PROFILE,
        {"id": "sup-famous", "created_at": "2001-01-01T00:00:00Z"},
    ),
    Attempt(
        "catalog",
        "PATCH",
        "/v1/suppliers/{supplier_id}",
        "supplier",
        {"staff_count": 5},
        {"gold_supplier": True},
    ),
    Attempt(
        "catalog",
        "PATCH",
        "/v1/suppliers/{supplier_id}",
        "supplier",
        {"staff_count": 5},
        {"metrics": {"store_rating": 5}},
    ),
    Attempt("catalog", "POST", "/v1/products", "supplier", TERMS, {"supplier_id": "sup-famous", "id": "p-1"}),
    Attempt(
        "catalog",
        "PATCH",
        "/v1/products/{product_id}",
        "supplier",
        {"moq": 200},
        {"supplier_id": "sup-famous"},
    ),
    Attempt(
        "catalog",
        "PATCH",
        "/v1/products/{product_id}",
        "supplier",
        {"moq": 200},
        {"rating": 5, "orders": 10_000},
    ),
    Attempt(
        "catalog",
        "PATCH",
        "/v1/reviews/{review_id}",
        "buyer",
        {"rating": RATING},
        {"verified_purchase": True},
    ),
    Attempt(
        "catalog",
        "POST",
        "/v1/reviews/{review_id}/reply",
        "supplier",
        {"text": "Thanks!"},
        {"buyer_id": "b-1"},
    ),
    Attempt(
        "escrow", "POST", "/v1/orders", "buyer", {"quote": "q"}, {"status": "completed", "held": money(0)}
    ),
    Attempt(
        "escrow", "POST", "/v1/orders", "buyer", {"quote": "q"}, {"buyer_id": "b-1", "supplier_id": "s-1"}
    ),
    Attempt("escrow", "POST", f"{ORDER}/amendments", "buyer", {"quantity": 300}, {"paid": money(1)}),
    Attempt(
        "escrow", "POST", f"{ORDER}/cancel", "buyer", {"reason": "No longer needed."}, {"refunded": money(1)}
    ),
    Attempt(
        "logistics",
        "POST",
        "/v1/returns",
        "buyer",
        {"order_id": "{order_id}", "reason": "quality_not_as_agreed"},
        {"refund_amount": money(10**9), "status": "received"},
    ),
    Attempt(
        "logistics",
        "POST",
        "/v1/shipments/{shipment_id}/dispatch",
        "supplier",
        {"carrier": "ups", "tracking_number": "1Z7"},
        {"status": "delivered"},
    ),
    Attempt(
        "disputes",
        "POST",
        "/v1/disputes",
        "buyer",
        {
            "order_id": "{order_id}",
            "reason": "wrong_item",
            "requested_outcome": "full_refund",
            "description": "Wrong model.",
        },
        {"status": "resolved", "claim_id": "c-1"},
    ),
    Attempt(
        "disputes",
        "POST",
        "/v1/disputes/{claim_id}/offers",
        "supplier",
        {"outcome": "partial_refund", "refund": money(1)},
        {"accepted": True},
    ),
    Attempt(
        "disputes",
        "POST",
        f"{ORDER}/messages",
        "buyer",
        {"body": "Hello."},
        {"author_role": "ops:mediator", "seq": 0, "hash": "00"},
    ),
    Attempt(
        "disputes",
        "POST",
        f"{ORDER}/after-sales-requests",
        "buyer",
        {"label": "free_replacement_parts", "description": "Spare lid."},
        {"status": "fulfilled"},
    ),
]


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=[attempt.id for attempt in ATTEMPTS])
async def test_server_owned_fields_in_a_body_are_refused_with_422_and_change_nothing(
    trade: Trade, attempt: Attempt
) -> None:
    # Given a trade and a body its rightful party may send
    before = await trade.state()
    tokens = {
        "buyer": trade.completed.buyer,
        "supplier": trade.seller.supplier,
        "newcomer": trade.client.token(f"sup-new-{uuid.uuid4().hex[:6]}", "supplier"),
    }
    body = {
        name: trade.fill(value) if isinstance(value, str) else value for name, value in attempt.body.items()
    }

    # When the party adds fields only the server may set
    answer = await send(
        trade.client,
        attempt.service,
        attempt.method,
        trade.fill(attempt.path),
        token=tokens[attempt.party],
        json={**body, **attempt.server_owned},
    )

    # Then the request is refused naming exactly those fields, and nothing changes
    assert answer.is_problem(422), answer
    assert {error["field"] for error in answer.body["errors"]} == set(attempt.server_owned), answer
    assert await trade.state() == before
