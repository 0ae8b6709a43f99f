"""A Guaranteed order over HTTP: catalog quotes the route's terms, escrow fixes the delivery promise from them
at funding, and logistics opens the shipment on exactly that promise (escrow is the promise's one owner)."""

from __future__ import annotations

import uuid
from typing import Any

from deploy.journey import money, onboard_supplier
from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from deploy.local.stack import LocalStack

# Escrow's default zone for CA is Toronto's; the lane's own zone, three hours behind, must win.
LANE_ZONE = "America/Vancouver"
TRANSIT_DAYS = 6


async def test_a_guaranteed_order_ships_on_the_promise_escrow_fixed_from_its_route(stack: LocalStack) -> None:
    async with PlatformClient.for_stack(stack) as client:
        run = uuid.uuid4().hex[:8]
        supplier_id = f"sup-{run}"
        supplier = client.token(supplier_id, "supplier")
        await onboard_supplier(client, run, supplier_id, legal_name=f"Ningbo Lanes {run} Co., Ltd.")

        # Given a Guaranteed lane CN → CA whose destination zone is Vancouver's
        route = {
            "origin_country": "CN",
            "destination_country": "CA",
            "carrier_service": "air-express",
            "transit_days": TRANSIT_DAYS,
            "destination_timezone": LANE_ZONE,
            "price_per_unit": money(40),
        }
        ops = client.token(f"officer-{run}", "ops:verification")
        await client.call("logistics", "PUT", f"/v1/routes/r-{run}", token=ops, json=route)
        # and a Guaranteed offer that dispatches within 4 days
        terms = {
            "title": f"Cast iron pan{run} 28 cm",
            "category_id": "cookware",
            "parent_category_id": "kitchen",
            "moq": 100,
            "order_multiple": 10,
            "currency": "USD",
            "trade_assurance": True,
            "guaranteed": {"dispatch_within": "P4D"},
            "tiers": [{"min_qty": 100, "unit_price": money(900)}],
        }
        product = await client.call("catalog", "POST", "/v1/products", token=supplier, json=terms)

        # When a buyer quotes it to CA (once catalog has heard of the lane), orders and pays
        buyer_id = f"buyer-{run}"
        buyer = client.token(buyer_id, "buyer", "standard")
        quoted: dict[str, Any] = {}

        async def lane_quoted() -> bool:
            found = await client.call(
                "catalog",
                "POST",
                "/v1/quotes",
                token=buyer,
                json={"product_id": product["id"], "quantity": 100, "destination": "CA"},
                expect=(201, 422),
            )
            quoted.update(found or {})
            return bool(found and found.get("quote"))

        await eventually(lane_quoted)
        assert (quoted["quote"]["transit_days"], quoted["quote"]["destination_timezone"]) == (
            TRANSIT_DAYS,
            LANE_ZONE,
        )
        placed = await client.call(
            "escrow", "POST", "/v1/orders", token=buyer, json={"quote": quoted["token"]}, expect=201
        )
        order_id = str(placed["order_id"])
        intent = await client.call(
            "escrow", "POST", f"/v1/orders/{order_id}/payments", token=buyer, expect=201
        )
        await client.call(
            "escrow", "POST", f"/sandbox/payments/{intent['intent_id']}/succeed", json={}, expect=200
        )

        # Then escrow's contract travels on the lane's terms, and its promise is the shipment's promise
        shipment: dict[str, Any] = {}

        async def shipment_opened() -> bool:
            found = await client.call(
                "logistics", "GET", f"/v1/orders/{order_id}/shipment", token=buyer, expect=(200, 404)
            )
            shipment.update(found or {})
            return bool(found and found.get("shipment_id"))

        await eventually(shipment_opened)
        order = await client.call("escrow", "GET", f"/v1/orders/{order_id}", token=buyer)
        contract = order["contract"]["terms"]
        assert (order["kind"], contract["route_id"]) == ("guaranteed", f"r-{run}")
        assert (contract["handling_time"], contract["transit_days"]) == ("P4D", TRANSIT_DAYS)
        assert contract["destination_timezone"] == LANE_ZONE
        promise = shipment["promise"]
        assert shipment["route_id"] == f"r-{run}"
        assert promise["destination_timezone"] == LANE_ZONE
        assert {key: promise[key] for key in order["promise"]} == order["promise"]
