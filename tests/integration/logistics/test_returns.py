"""Easy Return: eligible delivered orders get one free label; the warehouse scan triggers the refund."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from deploy.local.polling import eventually
from shared.contracts.disputes import ReturnRequested
from shared.money import Money
from tests.integration.logistics.scenario import (
    BUYER,
    SUPPLIER,
    dispatch,
    funded,
    handled,
    shipment_of,
    start_logistics,
)
from tests.support.services import EventInjector, RunningService, StartService, Tokens


async def _delivered(
    logistics: RunningService,
    tokens: Tokens,
    inject: EventInjector,
    order_id: str,
    *,
    easy_return: bool = False,
    **order: object,
) -> None:
    at = datetime.now(UTC) - timedelta(hours=1)
    await inject.publish(funded(order_id, at=at, easy_return=easy_return, **order))
    shipment_id = (await shipment_of(logistics, tokens, order_id))["shipment_id"]
    assert (
        await dispatch(logistics, tokens, shipment_id, tracking=f"T-{order_id}", key=f"d-{order_id}") == 200
    )
    tracking = await logistics.call(
        "POST", f"/sandbox/shipments/{shipment_id}/tracking", json={"status": "delivered"}
    )
    assert (await tracking.json())["statuses"] == [200]


async def _request_return(
    logistics: RunningService, tokens: Tokens, order_id: str, key: str
) -> dict[str, Any]:
    response = await logistics.call(
        "POST",
        "/v1/returns",
        json={"order_id": order_id, "reason": "defective"},
        token=tokens.buyer(BUYER),
        idempotency_key=key,
    )
    body: dict[str, Any] = await response.json()
    body["http_status"] = response.status
    return body


async def test_easy_return_issues_one_free_label_and_the_warehouse_scan_triggers_the_refund(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, sandbox=True)
    await _delivered(logistics, tokens, inject, "o-1", easy_return=True)

    # When the buyer asks for an Easy Return of the defective goods
    issued = await _request_return(logistics, tokens, "o-1", key="ret-1")

    # Then a free label to the US warehouse is issued, and a second request is refused
    assert issued["http_status"] == 201, issued
    assert issued["label"]["warehouse_id"] == "wh-us"
    again = await _request_return(logistics, tokens, "o-1", key="ret-2")
    assert (again["http_status"], again["type"]) == (
        422,
        "https://tradeguard.dev/problems/not-eligible-for-easy-return",
    )
    assert "already_returned" in str(again["detail"])

    # When the warehouse scans the parcel
    scanned = await logistics.call("POST", f"/sandbox/returns/{issued['return_id']}/scan", json={})
    assert scanned.status == 200

    # Then the refund of the order's value is owed
    received = await logistics.published("logistics.return_received")
    assert [(e["order_id"], e["refund_amount"]) for e in received] == [
        ("o-1", {"amount": 120_000, "currency": "USD"})
    ]


async def test_easy_return_refuses_orders_outside_the_programme_and_other_buyers(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, sandbox=True)
    await _delivered(logistics, tokens, inject, "o-plain")
    await _delivered(
        logistics, tokens, inject, "o-pricey", easy_return=True, paid=Money(amount=300_001, currency="USD")
    )

    # Then an order outside the programme and one above US$3,000 are refused with their reason
    plain = await _request_return(logistics, tokens, "o-plain", key="r-1")
    pricey = await _request_return(logistics, tokens, "o-pricey", key="r-2")
    assert plain["http_status"] == pricey["http_status"] == 422
    assert "not_in_easy_return_program" in str(plain["detail"])
    assert "value_above_cap" in str(pricey["detail"])
    # And another buyer does not see the order at all
    other = await logistics.call(
        "POST", "/v1/returns", json={"order_id": "o-plain", "reason": "defective"}, token=tokens.buyer("b-2")
    )
    assert other.status == 404


async def test_dispute_decision_return_gets_one_label_and_its_receipt_refunds_nothing_twice(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, sandbox=True)
    await _delivered(logistics, tokens, inject, "o-1")
    command = ReturnRequested(
        claim_id="c-1", order_id="o-1", buyer_id=BUYER, supplier_id=SUPPLIER, requested_at=datetime.now(UTC)
    )

    # When disputes asks for the return twice (a redelivered command)
    await inject.publish(command)
    await inject.publish(command)

    # Then one label is issued for the claim
    await eventually(handled(logistics, "dispute-returns", 2))
    label = (await logistics.published("logistics.return_label_issued"))[0]
    assert (label["claim_id"], label["reason"]) == ("c-1", "dispute_decision")

    # When the warehouse scans it, the receipt names the claim and owes no Easy Return refund
    await logistics.call("POST", f"/sandbox/returns/{label['return_id']}/scan", json={})
    received = await logistics.published("logistics.return_received")
    assert [(e["claim_id"], e["refund_amount"]["amount"]) for e in received] == [("c-1", 0)]
    assert await logistics.platform.db["returns"].count_documents({}) == 1
