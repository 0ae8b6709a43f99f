"""The on-time delivery guarantee over HTTP: a missed delivery promise credits an enterprise buyer on its own
and a standard buyer after one claim to escrow, capped, once per order, with the ledger balanced."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from deploy.journey import money, onboard_supplier, timeline_of
from deploy.journey.finding import shipment_to_dispatch
from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from deploy.local.stack import LocalStack

UNIT_PRICE = 30  # minor units, USD
ENTERPRISE_QUANTITY = 4000  # paid well above the cap: the cap applies
STANDARD_QUANTITY = 100  # paid below the cap (unless shipping is dear): never more than paid
COMPENSATION_CAP = 10_000  # escrow's default on-time guarantee cap: US$100
MARGIN = timedelta(hours=1)


@dataclass(frozen=True)
class Placed:
    order_id: str
    buyer: str
    paid: int


async def test_late_delivery_compensates_enterprise_buyers_automatically_and_standard_buyers_in_one_call(
    stack: LocalStack,
) -> None:
    async with PlatformClient.for_stack(stack) as client:
        await _journey(client)


async def _listed_product(client: PlatformClient, run: str, supplier: str, supplier_id: str) -> str:
    """A verified Trade Assurance supplier lists one product, searchable by a run-unique keyword."""
    await onboard_supplier(client, run, supplier_id, legal_name="Yiwu Late Freight Co., Ltd.")
    keyword = f"mug{run}"
    terms = {
        "title": f"Enamel {keyword} 350 ml",
        "category_id": "drinkware",
        "parent_category_id": "kitchen",
        "moq": 100,
        "order_multiple": 10,
        "currency": "USD",
        "trade_assurance": True,
        "tiers": [{"min_qty": 100, "unit_price": money(UNIT_PRICE)}],
    }
    product_id = str((await client.call("catalog", "POST", "/v1/products", token=supplier, json=terms))["id"])
    probe = client.token(f"probe-{run}", "buyer", "standard")

    async def searchable() -> bool:
        found = await client.call("catalog", "GET", "/v1/products", token=probe, params={"q": keyword})
        return product_id in [item["id"] for item in found["items"]]

    await eventually(searchable)
    return product_id


async def _paid_and_dispatched(
    client: PlatformClient, run: str, supplier: str, product_id: str, buyer: str, quantity: int
) -> Placed:
    """Quote, order, pay through the sandbox, and have the supplier dispatch it: shipped, not delivered."""
    quoted = await client.call(
        "catalog",
        "POST",
        "/v1/quotes",
        token=buyer,
        json={"product_id": product_id, "quantity": quantity, "destination": "US"},
        expect=201,
    )
    total = int(quoted["quote"]["total"]["amount"])
    placed = await client.call(
        "escrow",
        "POST",
        "/v1/orders",
        token=buyer,
        json={"quote": quoted["token"], "destination_timezone": "America/New_York"},
        expect=201,
    )
    order_id = str(placed["order_id"])
    intent = await client.call("escrow", "POST", f"/v1/orders/{order_id}/payments", token=buyer, expect=201)
    await client.call(
        "escrow", "POST", f"/sandbox/payments/{intent['intent_id']}/succeed", json={}, expect=200
    )
    shipment: dict[str, Any] = {}

    async def shipment_opened() -> bool:
        # The supplier finds the order in its to-dispatch queue.
        found = await shipment_to_dispatch(client, supplier, order_id)
        shipment.update(found or {})
        return bool(found)

    await eventually(shipment_opened)
    dispatch = {"carrier": "ups", "tracking_number": f"1Z{run}{quantity}"}
    await client.call(
        "logistics",
        "POST",
        f"/v1/shipments/{shipment['shipment_id']}/dispatch",
        token=supplier,
        json=dispatch,
    )
    return Placed(order_id=order_id, buyer=buyer, paid=total)


async def _journey(client: PlatformClient) -> None:
    run = uuid.uuid4().hex[:8]
    supplier_id = f"sup-{run}"
    supplier = client.token(supplier_id, "supplier")
    enterprise_buyer = client.token(f"ent-{run}", "buyer", "enterprise")
    standard_buyer = client.token(f"std-{run}", "buyer", "standard")
    finance = client.token(f"fin-{run}", "ops:finance")

    product_id = await _listed_product(client, run, supplier, supplier_id)
    enterprise = await _paid_and_dispatched(
        client, run, supplier, product_id, enterprise_buyer, ENTERPRISE_QUANTITY
    )
    standard = await _paid_and_dispatched(
        client, run, supplier, product_id, standard_buyer, STANDARD_QUANTITY
    )

    async def order(placed: Placed) -> dict[str, Any]:
        document: dict[str, Any] = await client.call(
            "escrow", "GET", f"/v1/orders/{placed.order_id}", token=finance
        )
        return document

    documents: dict[str, dict[str, Any]] = {}

    async def shipped(placed: Placed) -> bool:
        documents[placed.order_id] = await order(placed)
        return bool(documents[placed.order_id]["status"] == "shipped")

    await eventually(lambda: shipped(enterprise))
    await eventually(lambda: shipped(standard))
    for placed, tier in ((enterprise, "enterprise"), (standard, "standard")):
        document = documents[placed.order_id]
        assert document["buyer_tier"] == tier
        assert document["paid"] == money(placed.paid)
        assert document["compensation"] is None
        assert document["missed_deadlines"] == []

    # Move the sandbox clock past the later of the two promised deliveries; the SLA monitor reports it.
    late_from = max(
        datetime.fromisoformat(documents[p.order_id]["promise"]["delivery_late_from"])
        for p in (enterprise, standard)
    )
    clock = await client.call("escrow", "GET", "/sandbox/clock")
    now = datetime.fromisoformat(clock["now"])
    await client.advance_clock(max(0, int((late_from - now + MARGIN).total_seconds())))

    # Enterprise: credited automatically, with no call from the buyer.
    async def compensated(placed: Placed) -> bool:
        documents[placed.order_id] = await order(placed)
        return documents[placed.order_id]["compensation"] is not None

    await eventually(lambda: compensated(enterprise))
    credited = documents[enterprise.order_id]
    assert credited["compensation"]["automatic"] is True
    assert credited["compensation"]["deadline"] == "delivery"
    assert credited["compensation"]["amount"] == money(min(COMPENSATION_CAP, enterprise.paid))
    assert enterprise.paid > COMPENSATION_CAP  # so the cap, not the price, bounded it
    assert [missed["deadline"] for missed in credited["missed_deadlines"]] == ["delivery"]

    # Standard: the broken promise alone pays nothing ...
    async def delivery_missed_recorded(placed: Placed) -> bool:
        documents[placed.order_id] = await order(placed)
        return [m["deadline"] for m in documents[placed.order_id]["missed_deadlines"]] == ["delivery"]

    await eventually(lambda: delivery_missed_recorded(standard))
    assert documents[standard.order_id]["compensation"] is None

    # ... until the buyer claims it in one call from escrow, which owns the guarantee: 201 means it paid.
    late_claim = {"deadline": "delivery"}
    path = f"/v1/orders/{standard.order_id}/compensation-claims"
    claimed = await client.call("escrow", "POST", path, token=standard.buyer, json=late_claim, expect=(201,))
    paid_back = claimed["compensation"]
    assert paid_back["automatic"] is False
    assert paid_back["deadline"] == "delivery"
    assert paid_back["amount"] == money(min(COMPENSATION_CAP, standard.paid))
    assert standard.paid < COMPENSATION_CAP  # so the price, not the cap, bounded it

    # A second claim for the same order is refused with the reason: compensation is once per order.
    again = await client.call("escrow", "POST", path, token=standard.buyer, json=late_claim, expect=(409,))
    assert "already_compensated" in str(again), again

    # Compensation is a credit from the guarantee, not a refund: escrow still holds the goods' money.
    for placed in (enterprise, standard):
        final = await order(placed)
        assert final["status"] == "shipped", final["status"]
        assert final["paid"] == money(placed.paid)
        assert final["held"] == money(placed.paid)
        assert final["refunded"] == money(0)
        assert final["released"] == money(0)
        assert final["compensation"]["amount"]["amount"] <= min(COMPENSATION_CAP, placed.paid)
    check = await client.call("escrow", "GET", "/v1/ledger/check", token=finance)
    assert check["breaches"] == [], check

    # The timelines show logistics' report and escrow's credit; the standard one also the claim's story.
    async def timeline_has(placed: Placed, wanted: set[str]) -> bool:
        entries = await timeline_of(client, placed.buyer, placed.order_id)
        names = {f"{entry['service']}.{entry['event']}" for entry in entries}
        return wanted <= names

    credit = {"logistics.delivery_deadline_missed", "escrow.compensation_issued"}
    await eventually(lambda: timeline_has(enterprise, credit))
    await eventually(lambda: timeline_has(standard, credit))
