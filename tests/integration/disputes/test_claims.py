"""Claims: only the order's buyer, within what was paid, inside the window, one open per order and reason."""

from __future__ import annotations

from datetime import timedelta

from tests.integration.disputes.journey import OTHER_BUYER, OTHER_SUPPLIER, Disputes, usd


async def test_only_the_order_buyer_opens_a_claim_and_escrow_is_told_to_freeze(disputes: Disputes) -> None:
    # Given a delivered order of BUYER
    await disputes.delivered("ord-1")
    body = {
        "order_id": "ord-1",
        "reason": "defective",
        "requested_outcome": "full_refund",
        "description": "dead",
    }

    # When another buyer tries to claim on it, the order does not exist for them
    status, _ = await disputes.call("POST", "/v1/disputes", disputes.buyer(OTHER_BUYER), body)
    assert status == 404

    # When the order's buyer claims
    status, claim = await disputes.call("POST", "/v1/disputes", disputes.buyer(), body)

    # Then the claim awaits the supplier for the whole paid amount, and claim_opened is recorded for escrow
    assert status == 201, claim
    assert claim["status"] == "awaiting_supplier"
    assert claim["amount"] == {"amount": 100_000, "currency": "USD"}
    [opened] = await disputes.published("disputes.claim_opened")
    assert opened["claim_id"] == claim["claim_id"]
    assert opened["reason"] == "defective"


async def test_claim_amount_never_exceeds_what_was_paid(disputes: Disputes) -> None:
    await disputes.delivered("ord-1")
    body = {
        "order_id": "ord-1",
        "reason": "quantity_short",
        "requested_outcome": "partial_refund",
        "amount": usd(100_001).model_dump(),
        "description": "480 of 500 pcs",
    }

    status, problem = await disputes.call("POST", "/v1/disputes", disputes.buyer(), body)

    assert status == 422
    assert problem["type"].endswith("/refund-exceeds-refundable")
    assert [error["field"] for error in problem["errors"]] == [""]  # a rule over the request as a whole
    assert await disputes.published("disputes.claim_opened") == []


async def test_a_claim_after_the_protection_window_is_refused_and_the_refusal_announced_once(
    disputes: Disputes,
) -> None:
    # Given an order delivered yesterday with a 30-day money-back window
    await disputes.delivered("ord-1")

    # When the buyer claims 30 days later, and sends the same request again (its answer lost)
    disputes.clock.advance(timedelta(days=30))
    body = {
        "order_id": "ord-1",
        "reason": "defective",
        "requested_outcome": "full_refund",
        "description": "x",
    }
    answers = [
        await disputes.service.call(
            "POST", "/v1/disputes", token=disputes.buyer(), json=body, idempotency_key="late-1"
        )
        for _ in range(2)
    ]

    # Then the window is closed, no claim is opened, and the refusal is announced once
    first, retry = answers
    assert first.status == retry.status == 409
    assert (await first.json())["type"].endswith("/protection-window-closed")
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert await disputes.published("disputes.claim_opened") == []
    [refused] = await disputes.published("disputes.late_claim_refused")
    assert (refused["order_id"], refused["reason"], refused["window"]) == ("ord-1", "defective", "money_back")


async def test_one_open_claim_per_order_and_reason(disputes: Disputes) -> None:
    await disputes.delivered("ord-1")
    await disputes.claim("ord-1")

    # A second claim for the same reason is refused, one for another reason is accepted
    status, problem = await disputes.call(
        "POST",
        "/v1/disputes",
        disputes.buyer(),
        {
            "order_id": "ord-1",
            "reason": "quality_not_as_agreed",
            "requested_outcome": "replacement",
            "description": "x",
        },
    )
    assert status == 409
    assert problem["type"].endswith("/duplicate-open-claim")
    await disputes.claim("ord-1", reason="wrong_item")


async def test_a_buyer_cannot_read_another_buyers_dispute(disputes: Disputes) -> None:
    await disputes.delivered("ord-1")
    claim = await disputes.claim("ord-1")
    path = f"/v1/disputes/{claim['claim_id']}"

    assert (await disputes.call("GET", path, disputes.buyer()))[0] == 200
    assert (await disputes.call("GET", path, disputes.supplier()))[0] == 200
    assert (await disputes.call("GET", path, disputes.mediator()))[0] == 200
    assert (await disputes.call("GET", path, disputes.buyer(OTHER_BUYER)))[0] == 404
    assert (await disputes.call("GET", path, disputes.supplier(OTHER_SUPPLIER)))[0] == 404


async def test_a_retried_claim_with_the_same_idempotency_key_opens_one_claim(disputes: Disputes) -> None:
    await disputes.delivered("ord-1")
    body = {
        "order_id": "ord-1",
        "reason": "defective",
        "requested_outcome": "full_refund",
        "description": "dead",
    }

    first = await disputes.service.call(
        "POST", "/v1/disputes", token=disputes.buyer(), json=body, idempotency_key="k1"
    )
    again = await disputes.service.call(
        "POST", "/v1/disputes", token=disputes.buyer(), json=body, idempotency_key="k1"
    )

    assert (first.status, again.status) == (201, 201)
    assert (await first.json())["claim_id"] == (await again.json())["claim_id"]
    assert len(await disputes.published("disputes.claim_opened")) == 1
