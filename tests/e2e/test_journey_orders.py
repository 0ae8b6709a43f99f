"""Order journeys over HTTP across the four services: cancelling before shipment, and sample-then-bulk."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from deploy.journey import money, onboard_supplier, timeline_of
from deploy.journey.finding import shipment_to_dispatch
from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from deploy.local.stack import LocalStack

TIER_1_PRICE = 450  # minor units, USD, 100-499 pieces
TIER_2_PRICE = 400  # 500 pieces and more
SAMPLE_PRICE = 900


@dataclass
class Market:
    """One verified Trade Assurance supplier with one listed product, and one buyer who can find it."""

    client: PlatformClient
    run: str
    supplier_id: str
    buyer_id: str
    supplier: str
    buyer: str
    finance: str
    product_id: str

    async def quote(self, quantity: int, kind: str = "standard") -> dict[str, Any]:
        request = {"product_id": self.product_id, "quantity": quantity, "destination": "US", "kind": kind}
        quoted: dict[str, Any] = await self.client.call(
            "catalog", "POST", "/v1/quotes", token=self.buyer, json=request, expect=201
        )
        return quoted

    async def order_and_pay(self, quote_token: str) -> dict[str, Any]:
        placed: dict[str, Any] = await self.client.call(
            "escrow",
            "POST",
            "/v1/orders",
            token=self.buyer,
            json={"quote": quote_token, "destination_timezone": "America/New_York"},
            expect=201,
        )
        order_id = str(placed["order_id"])
        intent = await self.client.call(
            "escrow", "POST", f"/v1/orders/{order_id}/payments", token=self.buyer, expect=201
        )
        await self.client.call(
            "escrow", "POST", f"/sandbox/payments/{intent['intent_id']}/succeed", json={}, expect=200
        )
        await eventually(lambda: self.order_is(order_id, "funded"))
        return placed

    async def order(self, order_id: str) -> dict[str, Any]:
        document: dict[str, Any] = await self.client.call(
            "escrow", "GET", f"/v1/orders/{order_id}", token=self.finance
        )
        return document

    async def order_is(self, order_id: str, status: str) -> bool:
        return bool((await self.order(order_id))["status"] == status)

    async def shipment(self, order_id: str) -> dict[str, Any]:
        found: dict[str, Any] = {}

        async def opened() -> bool:
            # The supplier finds the order in its to-dispatch queue.
            row = await shipment_to_dispatch(self.client, self.supplier, order_id)
            found.update(row or {})
            return bool(row)

        await eventually(opened)
        return found

    async def ledger_is_clean(self) -> None:
        check = await self.client.call("escrow", "GET", "/v1/ledger/check", token=self.finance)
        assert check["breaches"] == [], check

    async def timeline_shows(self, order_id: str, *names: str) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []

        async def complete() -> bool:
            entries[:] = await timeline_of(self.client, self.buyer, order_id)
            seen = {f"{entry['service']}.{entry['event']}" for entry in entries}
            return set(names) <= seen

        await eventually(complete)
        return entries


async def _market(client: PlatformClient, *, sample: dict[str, Any] | None = None) -> Market:
    run = uuid.uuid4().hex[:8]
    supplier_id, buyer_id = f"sup-{run}", f"buyer-{run}"
    supplier = client.token(supplier_id, "supplier")
    buyer = client.token(buyer_id, "buyer", "standard")
    finance = client.token(f"fin-{run}", "ops:finance")
    await onboard_supplier(client, run, supplier_id, legal_name="Ningbo Widgets Co., Ltd.")
    keyword = f"mug{run}"
    terms: dict[str, Any] = {
        "title": f"Enamel camping {keyword} 350 ml",
        "category_id": "drinkware",
        "parent_category_id": "kitchen",
        "moq": 100,
        "order_multiple": 10,
        "currency": "USD",
        "trade_assurance": True,
        "tiers": [
            {"min_qty": 100, "max_qty": 499, "unit_price": money(TIER_1_PRICE)},
            {"min_qty": 500, "unit_price": money(TIER_2_PRICE)},
        ],
    }
    if sample is not None:
        terms["sample"] = sample
    product_id = str((await client.call("catalog", "POST", "/v1/products", token=supplier, json=terms))["id"])

    async def searchable() -> bool:
        found = await client.call("catalog", "GET", "/v1/products", token=buyer, params={"q": keyword})
        return product_id in [item["id"] for item in found["items"]]

    await eventually(searchable)
    return Market(client, run, supplier_id, buyer_id, supplier, buyer, finance, product_id)


async def test_cancellation_before_shipment_refunds_the_buyer_in_full(stack: LocalStack) -> None:
    async with PlatformClient.for_stack(stack) as client:
        market = await _market(client)
        quoted = await market.quote(200)
        total = int(quoted["quote"]["total"]["amount"])
        assert total == TIER_1_PRICE * 200

        placed = await market.order_and_pay(quoted["token"])
        order_id = str(placed["order_id"])
        funded = await market.order(order_id)
        assert funded["paid"] == money(total)
        assert funded["held"] == money(total)
        shipment = await market.shipment(order_id)
        assert (shipment["stage"], shipment["dispatched_at"]) == ("awaiting_dispatch", None)
        assert shipment["next_action"]["action"] == "dispatch", shipment

        # The buyer changes their mind before the supplier dispatches: everything paid comes back.
        reason = "found a closer supplier"
        cancelled = await client.call(
            "escrow",
            "POST",
            f"/v1/orders/{order_id}/cancel",
            token=market.buyer,
            json={"reason": reason},
        )
        assert cancelled["status"] == "cancelled"
        final = await market.order(order_id)
        assert final["status"] == "cancelled"
        assert final["cancelled_at"] is not None
        assert final["paid"] == money(total)
        assert final["refunded"] == money(total)
        assert final["held"] == money(0)
        assert final["released"] == money(0)
        assert [refund["amount"] for refund in final["refunds"]] == [money(total)]
        assert final["release"] is None

        # Logistics stops the shipment, so the supplier can no longer dispatch it.
        async def shipment_cancelled() -> bool:
            body = await client.call(
                "logistics", "GET", f"/v1/shipments/{shipment['shipment_id']}", token=market.buyer
            )
            return body["cancelled_at"] is not None

        await eventually(shipment_cancelled)
        stopped = await client.call(
            "logistics",
            "POST",
            f"/v1/shipments/{shipment['shipment_id']}/dispatch",
            token=market.supplier,
            json={"carrier": "ups", "tracking_number": f"1Z{market.run}"},
            expect=(409, 422),
        )
        assert str(stopped["type"]).endswith("/shipment-cancelled"), stopped
        assert await market.order_is(order_id, "cancelled")

        await market.ledger_is_clean()
        entries = await market.timeline_shows(
            order_id, "escrow.order_funded", "escrow.order_cancelled", "escrow.refund_issued"
        )
        cancellation = next(entry for entry in entries if entry["event"] == "order_cancelled")
        assert cancellation["actor"] == "buyer"
        assert cancellation["details"]["reason"] == reason


async def test_sample_order_first_then_bulk_order_at_the_quoted_tier(stack: LocalStack) -> None:
    async with PlatformClient.for_stack(stack) as client:
        market = await _market(client, sample={"unit_price": money(SAMPLE_PRICE), "max_qty": 5})

        # A sample below the MOQ, priced by the sample offer.
        sample_quoted = await market.quote(2, kind="sample")
        sample_quote = sample_quoted["quote"]
        assert sample_quote["kind"] == "sample"
        assert sample_quote["unit_price"] == money(SAMPLE_PRICE)
        assert sample_quote["total"] == money(SAMPLE_PRICE * 2)
        sample_order = await market.order_and_pay(sample_quoted["token"])
        sample_id = str(sample_order["order_id"])
        sample_paid = await market.order(sample_id)
        assert sample_paid["kind"] == "sample"
        assert sample_paid["contract"]["terms"]["quantity"] == 2
        assert sample_paid["contract"]["terms"]["unit_price"] == money(SAMPLE_PRICE)
        assert sample_paid["paid"] == money(SAMPLE_PRICE * 2)
        assert sample_paid["held"] == money(SAMPLE_PRICE * 2)

        # Happy with the sample, the buyer quotes the bulk quantity and gets the 500+ tier.
        bulk_qty = 500
        bulk_quoted = await market.quote(bulk_qty)
        bulk_quote = bulk_quoted["quote"]
        assert bulk_quote["kind"] == "standard"
        assert bulk_quote["unit_price"] == money(TIER_2_PRICE)
        assert bulk_quote["tier_min_qty"] == 500
        bulk_total = TIER_2_PRICE * bulk_qty
        assert bulk_quote["total"] == money(bulk_total)
        bulk_order = await market.order_and_pay(bulk_quoted["token"])
        bulk_id = str(bulk_order["order_id"])
        assert bulk_id != sample_id

        bulk = await market.order(bulk_id)
        assert bulk["kind"] == "standard"
        terms = bulk["contract"]["terms"]
        assert terms["quote_id"] == bulk_quote["id"]
        assert terms["product_id"] == market.product_id
        assert terms["quantity"] == bulk_qty
        assert terms["unit_price"] == money(TIER_2_PRICE)
        assert terms["shipping"] == money(0)
        assert bulk["paid"] == money(bulk_total)
        assert bulk["held"] == money(bulk_total)
        assert bulk["contract_history"][0]["terms"]["unit_price"] == money(TIER_2_PRICE)
        # The sample order is untouched by the bulk one.
        assert (await market.order(sample_id))["paid"] == money(SAMPLE_PRICE * 2)

        await market.ledger_is_clean()
        await market.timeline_shows(sample_id, "escrow.order_placed", "escrow.order_funded")
        await market.timeline_shows(bulk_id, "escrow.order_placed", "escrow.order_funded")
