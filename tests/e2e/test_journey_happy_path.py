"""One buyer's whole happy journey over HTTP across the four services running as real processes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from deploy.journey import money, onboard_supplier, timeline_of
from deploy.journey.finding import shipment_to_dispatch
from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from deploy.local.stack import LocalStack

UNIT_PRICE = 450  # minor units, USD
QUANTITY = 200
FEE_BPS = 200  # escrow's default platform fee: 2 %


def _rating(stars: int) -> dict[str, int]:
    return {"stars": stars, "quality": stars, "service": stars, "delivery": stars}


async def test_happy_path_search_quote_order_pay_ship_deliver_confirm_release_review(
    stack: LocalStack,
) -> None:
    async with PlatformClient.for_stack(stack) as client:
        await _journey(client)


async def _journey(client: PlatformClient) -> None:
    run = uuid.uuid4().hex[:8]
    supplier_id, buyer_id = f"sup-{run}", f"buyer-{run}"
    supplier = client.token(supplier_id, "supplier")
    buyer = client.token(buyer_id, "buyer", "standard")
    finance = client.token(f"fin-{run}", "ops:finance")

    # A supplier registers and is verified by an ops audit, then lists a Trade Assurance product with tiers.
    await onboard_supplier(client, run, supplier_id, legal_name="Ningbo Widgets Co., Ltd.")
    keyword = f"bottle{run}"
    terms = {
        "title": f"Stainless steel {keyword} 750 ml",
        "category_id": "drinkware",
        "parent_category_id": "kitchen",
        "moq": 100,
        "order_multiple": 10,
        "currency": "USD",
        "trade_assurance": True,
        "tiers": [
            {"min_qty": 100, "max_qty": 499, "unit_price": money(UNIT_PRICE)},
            {"min_qty": 500, "unit_price": money(400)},
        ],
    }
    product_id = str((await client.call("catalog", "POST", "/v1/products", token=supplier, json=terms))["id"])

    # The buyer finds it and gets a signed quote.
    async def searchable() -> bool:
        found = await client.call("catalog", "GET", "/v1/products", token=buyer, params={"q": keyword})
        return product_id in [item["id"] for item in found["items"]]

    await eventually(searchable)
    quoted = await client.call(
        "catalog",
        "POST",
        "/v1/quotes",
        token=buyer,
        json={"product_id": product_id, "quantity": QUANTITY, "destination": "US"},
        expect=201,
    )
    quote = quoted["quote"]
    assert quote["unit_price"] == money(UNIT_PRICE)
    total = int(quote["total"]["amount"])
    assert total == UNIT_PRICE * QUANTITY + int((quote.get("shipping") or money(0))["amount"])

    # Order and pay with the sandbox provider.
    placed = await client.call(
        "escrow",
        "POST",
        "/v1/orders",
        token=buyer,
        json={"quote": quoted["token"], "destination_timezone": "America/New_York"},
        expect=201,
    )
    order_id = str(placed["order_id"])
    assert placed["supplier_id"] == supplier_id
    intent = await client.call("escrow", "POST", f"/v1/orders/{order_id}/payments", token=buyer, expect=201)
    await client.call(
        "escrow", "POST", f"/sandbox/payments/{intent['intent_id']}/succeed", json={}, expect=200
    )

    async def order() -> dict[str, Any]:
        document: dict[str, Any] = await client.call("escrow", "GET", f"/v1/orders/{order_id}", token=finance)
        return document

    async def order_is(status: str) -> bool:
        return bool((await order())["status"] == status)

    # Logistics opens the shipment; the supplier dispatches; the sandbox carrier delivers.
    shipment: dict[str, Any] = {}

    async def shipment_opened() -> bool:
        # The supplier finds the order in its to-dispatch queue.
        found = await shipment_to_dispatch(client, supplier, order_id)
        shipment.update(found or {})
        return bool(found)

    await eventually(shipment_opened)
    shipment_id = shipment["shipment_id"]
    dispatch = {"carrier": "ups", "tracking_number": f"1Z{run}"}
    await client.call(
        "logistics", "POST", f"/v1/shipments/{shipment_id}/dispatch", token=supplier, json=dispatch
    )
    await eventually(lambda: order_is("shipped"))
    tracked = await client.call(
        "logistics",
        "POST",
        f"/sandbox/shipments/{shipment_id}/tracking",
        json={"status": "delivered"},
        expect=200,
    )
    assert all(status < 300 for status in tracked["statuses"]), tracked
    await eventually(lambda: order_is("delivered"))

    # The buyer confirms receipt: escrow releases the funds to the supplier minus the 2 % fee.
    await client.call("escrow", "POST", f"/v1/orders/{order_id}/confirm-receipt", token=buyer)
    await eventually(lambda: order_is("completed"))
    fee = total * FEE_BPS // 10_000
    completed = await order()
    assert completed["paid"] == money(total)
    assert completed["released"] == money(total)
    assert completed["held"] == money(0)
    assert completed["release"]["amount"] == money(total)
    assert completed["release"]["platform_fee"] == money(fee)
    check = await client.call("escrow", "GET", "/v1/ledger/check", token=finance)
    assert check["breaches"] == [], check

    # Catalog learns the order is complete; the buyer reviews the product and the store.
    reviews: dict[str, dict[str, Any]] = {}

    async def reviewed(kind: str, target: str) -> bool:
        draft = {"order_id": order_id, "target": {"kind": kind, "id": target}, "rating": _rating(5)}
        body = await client.call("catalog", "POST", "/v1/reviews", token=buyer, json=draft, expect=(201, 403))
        if body.get("id"):
            reviews[kind] = body
            return True
        # Until catalog hears of the completion, the review is refused as "order not completed".
        assert str(body["type"]).endswith("/review-order-not-completed"), body
        return False

    await eventually(lambda: reviewed("product", product_id))
    await eventually(lambda: reviewed("store", supplier_id))
    assert reviews["product"]["supplier_id"] == supplier_id

    # The order's timeline tells the story from escrow, logistics and catalog, oldest first.
    entries: list[dict[str, Any]] = []

    async def timeline_complete() -> bool:
        entries[:] = await timeline_of(client, buyer, order_id)
        names = {f"{entry['service']}.{entry['event']}" for entry in entries}
        return {"escrow.funds_released", "logistics.shipment_delivered", "catalog.review_published"} <= names

    await eventually(timeline_complete)
    assert {entry["service"] for entry in entries} >= {"escrow", "logistics", "catalog"}
    times = [datetime.fromisoformat(entry["time"]) for entry in entries]
    assert times == sorted(times), [(e["service"], e["event"], e["time"]) for e in entries]
    released = next(entry for entry in entries if entry["event"] == "funds_released")
    assert released["details"]["released"] == money(total)
    assert released["details"]["platform_fee"] == money(fee)
    assert released["details"]["supplier_payout"] == money(total - fee)
