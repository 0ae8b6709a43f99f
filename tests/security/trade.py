"""One of every object the services guard, created over HTTP by its rightful owners.

Builds on the refund journeys' seller and paid orders (deploy/journey.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from deploy import journey
from deploy.journey import money
from deploy.local.client import PlatformClient
from deploy.local.polling import eventually

AFTER_SALES_LABEL = "free_replacement_parts"


@dataclass
class Trade:
    """Object ids by path parameter name, and the reads that show each object's state to its owners."""

    client: PlatformClient
    seller: journey.Seller
    completed: journey.Trade
    ids: dict[str, str]
    # The buyer of the trade each object belongs to, by its path parameter (the seller supplies them all).
    buyers: dict[str, str]

    def fill(self, path: str) -> str:
        """A path template with this trade's ids: `/v1/orders/{order_id}` → `/v1/orders/ord-…`."""
        return path.format(**self.ids)

    def parties(self, path: str) -> tuple[str, str]:
        """The buyer's and the supplier's ids of the object a path names (by its first path parameter)."""
        first = path.split("{", 1)[1].split("}", 1)[0]
        return self.buyers.get(first, self.completed.buyer_id), self.seller.supplier_id

    async def state(self) -> dict[str, Any]:
        """Everything an owner can read about the trade's objects, to compare before and after an attack."""
        buyer, supplier, ops = self.completed.buyer, self.seller.supplier, self.seller.mediator
        reads = {
            "order": ("escrow", "/v1/orders/{order_id}", buyer),
            "timeline": ("escrow", "/v1/orders/{order_id}/timeline", buyer),
            "product": ("catalog", "/v1/products/{product_id}", supplier),
            "supplier": ("catalog", "/v1/suppliers/{supplier_id}", supplier),
            "reviews": ("catalog", "/v1/products/{product_id}/reviews", supplier),
            "shipment": ("logistics", "/v1/shipments/{shipment_id}", supplier),
            "inspection": ("logistics", "/v1/inspections/{inspection_id}", ops),
            "return": ("logistics", "/v1/returns/{return_id}", ops),
            "claim": ("disputes", "/v1/disputes/{claim_id}", ops),
            "routes": ("logistics", "/v1/routes", ops),
            "messages": ("disputes", "/v1/orders/{order_id}/messages", buyer),
            "after-sales": ("disputes", "/v1/after-sales-requests/{request_id}", buyer),
        }
        documents = await asyncio.gather(
            *(
                self.client.call(service, "GET", self.fill(path), token=token)
                for service, path, token in reads.values()
            )
        )
        return dict(zip(reads, documents, strict=True))


async def open_trade(client: PlatformClient) -> Trade:
    seller = await journey.new_seller(client, easy_return=True)
    await client.call(
        "catalog",
        "PATCH",
        f"/v1/products/{seller.product_id}",
        token=seller.supplier,
        json={"after_sales": [AFTER_SALES_LABEL]},
    )
    completed = await journey.paid_order(seller)
    await completed.deliver()
    await completed.confirm()
    returned = await journey.paid_order(seller)
    await returned.deliver()
    inspected = await journey.paid_order(seller)
    ids = {
        "order_id": completed.order_id,
        "supplier_id": seller.supplier_id,
        "product_id": seller.product_id,
        "shipment_id": returned.shipment_id,
        "review_id": await _review(completed),
        "claim_id": await _claim(completed),
        "request_id": await _after_sales_request(completed),
        "return_id": str(
            (
                await client.call(
                    "logistics",
                    "POST",
                    "/v1/returns",
                    token=returned.buyer,
                    json={"order_id": returned.order_id, "reason": "quality_not_as_agreed"},
                )
            )["return_id"]
        ),
        "inspection_id": await book_inspection(inspected),
        # Routes belong to operations: no buyer or supplier may create or change one.
        "route_id": "cn-us-security-probe",
        "version": "1",
        "number": "ISO-9001-0001",
        # Parked messages belong to platform operators: no party reaches one, whichever id it names.
        "parked_id": "00000000-0000-5000-8000-000000000000",
    }
    await client.call(
        "disputes",
        "POST",
        f"/v1/orders/{completed.order_id}/messages",
        token=completed.buyer,
        json={"body": "The pallets arrived; two cartons are crushed."},
    )
    buyers = {
        "shipment_id": returned.buyer_id,
        "return_id": returned.buyer_id,
        "inspection_id": inspected.buyer_id,
    }
    return Trade(client=client, seller=seller, completed=completed, ids=ids, buyers=buyers)


async def _review(trade: journey.Trade) -> str:
    """Catalog accepts the review once it has heard the order completed."""
    review: dict[str, Any] = {}
    draft = {
        "order_id": trade.order_id,
        "target": {"kind": "product", "id": trade.seller.product_id},
        "rating": {"stars": 4, "quality": 4, "service": 4, "delivery": 4},
    }

    async def accepted() -> bool:
        body = await trade.client.call(
            "catalog", "POST", "/v1/reviews", token=trade.buyer, json=draft, expect=(201, 403)
        )
        review.update(body)
        return "id" in body

    await eventually(accepted)
    return str(review["id"])


async def _claim(trade: journey.Trade) -> str:
    """Disputes accepts the claim once its read model holds the order."""
    claim: dict[str, Any] = {}
    opening = {
        "order_id": trade.order_id,
        "reason": "quality_not_as_agreed",
        "requested_outcome": "partial_refund",
        "amount": money(trade.total // 10),
        "description": "A tenth of the kettles leak at the seam.",
    }

    async def opened() -> bool:
        body = await trade.client.call(
            "disputes", "POST", "/v1/disputes", token=trade.buyer, json=opening, expect=(201, 404, 409)
        )
        claim.update(body)
        return "claim_id" in body

    await eventually(opened)
    return str(claim["claim_id"])


async def _after_sales_request(trade: journey.Trade) -> str:
    body = await trade.client.call(
        "disputes",
        "POST",
        f"/v1/orders/{trade.order_id}/after-sales-requests",
        token=trade.buyer,
        json={"label": AFTER_SALES_LABEL, "description": "The lid hinge snapped; please send a spare."},
    )
    return str(body["request_id"])


async def book_inspection(trade: journey.Trade) -> str:
    """A pre-shipment inspection booked by the buyer once logistics has opened the shipment."""
    booking = {
        "order_id": trade.order_id,
        "agency": "sgs",
        "criteria": [{"name": "defect_rate", "unit": "%", "max_value": "2.5"}],
    }
    inspection: dict[str, Any] = {}

    async def booked() -> bool:
        body = await trade.client.call(
            "logistics", "POST", "/v1/inspections", token=trade.buyer, json=booking, expect=(201, 404, 409)
        )
        inspection.update(body)
        return "inspection_id" in body

    await eventually(booked)
    return str(inspection["inspection_id"])


async def dispatch(trade: journey.Trade) -> str:
    """The supplier hands the goods of a paid order to the carrier once logistics has opened the shipment."""
    await trade.shipment_opened()
    shipment = await trade.dispatch()
    return str(shipment["dispatch"]["tracking_number"])
