"""An order disputes has not heard of yet is a documented, retryable answer, never a bare 404.

Disputes learns orders from escrow's events; right after escrow accepts a payment they may still be on
their way. Disputes cannot tell such an order from an id escrow never issued, so both answer the same
409 `order-not-yet-known` with `Retry-After`, and the retry succeeds once the events have arrived.
"""

from __future__ import annotations

from typing import Any

from tests.integration.disputes.journey import Disputes

ORDER = "ord-just-paid"
PROBLEM = "https://tradeguard.dev/problems/order-not-yet-known"
# Every route that looks an order up by id in disputes' read model, with a body it accepts.
ORDER_LOOKUPS: list[tuple[str, str, dict[str, Any] | None]] = [
    (
        "POST",
        "/v1/disputes",
        {"order_id": ORDER, "reason": "defective", "requested_outcome": "full_refund", "description": "x"},
    ),
    ("GET", f"/v1/orders/{ORDER}/disputes", None),
    ("POST", f"/v1/orders/{ORDER}/messages", {"body": "When will it ship?"}),
    ("GET", f"/v1/orders/{ORDER}/messages", None),
    ("GET", f"/v1/orders/{ORDER}/messages/verify", None),
    (
        "POST",
        f"/v1/orders/{ORDER}/after-sales-requests",
        {"label": "free_replacement_parts", "description": "x"},
    ),
]


async def test_an_order_not_heard_of_yet_answers_a_retryable_409_on_every_order_route(
    disputes: Disputes,
) -> None:
    # Given an order escrow has just funded, whose events have not reached disputes
    for method, path, body in ORDER_LOOKUPS:
        # When its buyer calls a route that looks the order up
        response = await disputes.service.call(method, path, token=disputes.buyer(), json=body)
        problem = await response.json()

        # Then the answer is a 409 problem saying to come back, not a 404
        assert response.status == 409, (method, path, problem)
        assert response.content_type == "application/problem+json"
        assert problem["type"] == PROBLEM, (method, path)
        assert int(response.headers["Retry-After"]) > 0
        assert "never issued" in problem["detail"]  # honest: an unknown id answers the same


async def test_a_claim_retried_with_its_idempotency_key_once_the_order_arrived_is_opened(
    disputes: Disputes,
) -> None:
    # Given a claim refused because disputes had not heard of the order yet
    body = {
        "order_id": "ord-1",
        "reason": "defective",
        "requested_outcome": "full_refund",
        "description": "x",
    }
    first = await disputes.service.call(
        "POST", "/v1/disputes", token=disputes.buyer(), json=body, idempotency_key="claim-1"
    )
    assert first.status == 409

    # When the order's events arrive and the buyer retries with the same Idempotency-Key
    await disputes.delivered("ord-1")
    retried = await disputes.service.call(
        "POST", "/v1/disputes", token=disputes.buyer(), json=body, idempotency_key="claim-1"
    )

    # Then the retry runs (the 409 was not stored for replay) and the claim is opened
    assert retried.status == 201, await retried.json()
    assert "Idempotent-Replayed" not in retried.headers


async def test_every_route_looking_up_an_order_documents_the_retryable_answer(disputes: Disputes) -> None:
    # Given disputes' OpenAPI document
    response = await disputes.service.call("GET", "/openapi.json")
    document = await response.json()

    # When we read what each operation naming an order (in its path or, for opening a claim, its body) answers
    order_operations = {
        (method, path)
        for path, operations in document["paths"].items()
        for method in operations
        if "{order_id}" in path or (method, path) == ("post", "/v1/disputes")
    }

    # Then each documents the 409 `order-not-yet-known` with its Retry-After header, as it behaves
    assert {(method.lower(), path.replace(ORDER, "{order_id}")) for method, path, _ in ORDER_LOOKUPS} == (
        order_operations
    )
    for method, path in order_operations:
        conflict = document["paths"][path][method]["responses"]["409"]
        assert "`order-not-yet-known`" in conflict["description"], (method, path)
        assert conflict["headers"]["Retry-After"]["schema"]["type"] == "integer", (method, path)
