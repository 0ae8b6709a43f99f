"""A verified seller and its paid orders, as the end-to-end and security tests look at them."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from deploy.journey.finding import find_row, of_order
from deploy.journey.steps import QUANTITY, Journey
from deploy.journey.supplier import list_product, onboard_supplier
from deploy.local.client import PlatformClient

UNIT_PRICE = 450  # minor units, USD


def money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "USD"}


@dataclass
class Seller:
    """One verified Trade Assurance supplier with one listed product, and the ops people around it."""

    client: PlatformClient
    run: str
    supplier_id: str
    supplier: str
    product_id: str
    mediator: str
    finance: str

    async def ledger_is_clean(self) -> None:
        check = await self.client.call("escrow", "GET", "/v1/ledger/check", token=self.finance)
        assert check["breaches"] == [], check


async def new_seller(client: PlatformClient, *, easy_return: bool) -> Seller:
    """A supplier registers, is audited and enrolled in Trade Assurance, and lists a TA product."""
    run = uuid.uuid4().hex[:8]
    supplier_id = f"sup-{run}"
    await onboard_supplier(client, run, supplier_id, legal_name=f"Yiwu Kettles {run} Co., Ltd.")
    terms = {
        "title": f"Electric kettle{run} 1.7 l",
        "category_id": "small-appliances",
        "parent_category_id": "kitchen",
        "moq": 100,
        "order_multiple": 10,
        "currency": "USD",
        "trade_assurance": True,
        "easy_return": easy_return,
        "tiers": [{"min_qty": 100, "unit_price": money(UNIT_PRICE)}],
    }
    return Seller(
        client=client,
        run=run,
        supplier_id=supplier_id,
        supplier=client.token(supplier_id, "supplier"),
        product_id=await list_product(client, supplier_id, terms),
        mediator=client.token(f"mediator-{run}", "ops:mediator"),
        finance=client.token(f"fin-{run}", "ops:finance"),
    )


@dataclass
class Trade:
    """One paid order of a seller's product by one buyer, as the end-to-end tests look at it."""

    seller: Seller
    journey: Journey

    @property
    def client(self) -> PlatformClient:
        return self.seller.client

    @property
    def buyer_id(self) -> str:
        return self.journey.buyer_id

    @property
    def buyer(self) -> str:
        return self.journey.buyer

    @property
    def order_id(self) -> str:
        return self.journey.order_id

    @property
    def shipment_id(self) -> str:
        return self.journey.shipment_id

    @property
    def total(self) -> int:
        return self.journey.total

    @property
    def shipping(self) -> int:
        return int((self.journey.quote.get("shipping") or money(0))["amount"])

    @property
    def run(self) -> str:
        return self.seller.run

    @property
    def supplier_id(self) -> str:
        return self.seller.supplier_id

    @property
    def mediator(self) -> str:
        return self.seller.mediator

    async def order(self) -> dict[str, Any]:
        return await self.journey.order_document()

    def order_is(self, status: str) -> Callable[[], Awaitable[bool]]:
        async def check() -> bool:
            return bool((await self.order())["status"] == status)

        return check

    async def ledger_is_clean(self) -> None:
        await self.seller.ledger_is_clean()

    async def claim(self, claim_id: str) -> dict[str, Any]:
        path = f"/v1/disputes/{claim_id}"
        document: dict[str, Any] = await self.client.call("disputes", "GET", path, token=self.mediator)
        return document

    async def mediator_finds_case(self, status: str = "escalated") -> str:
        """The mediator finds this order's case in the mediation queue, as a mediator's day starts."""
        return await self._claim_in("/v1/mediation/queue", self.mediator, status)

    async def supplier_finds_claim(self, status: str = "awaiting_supplier") -> str:
        """The supplier finds the claim on this order among its disputes, soonest deadline first."""
        return await self._claim_in("/v1/disputes", self.seller.supplier, status)

    async def _claim_in(self, path: str, token: str, status: str) -> str:
        row = await find_row(
            self.client,
            "disputes",
            path,
            token=token,
            wanted=of_order(self.order_id),
            params={"status": status},
        )
        assert row is not None, f"no {status} claim on order {self.order_id} in {path}"
        return str(row["claim_id"])

    async def shipment_opened(self) -> None:
        await self.journey.shipment_opened()

    async def dispatch(self, *, expect: int = 200) -> dict[str, Any]:
        return await self.journey.dispatch(expect=expect)

    async def deliver(self) -> None:
        await self.journey.deliver()

    async def confirm(self) -> dict[str, Any]:
        await self.journey.confirm()
        return await self.order()

    async def timeline_has(self, *names: str) -> list[dict[str, Any]]:
        """The timeline once it shows `names`, in the order things happened."""
        entries = await self.journey.timeline(*names)
        times = [datetime.fromisoformat(entry["time"]) for entry in entries]
        assert times == sorted(times), [(e["service"], e["event"], e["time"]) for e in entries]
        return entries


async def paid_order(seller: Seller) -> Trade:
    """A new buyer finds the seller's product, gets a quote to the US, orders and pays (sandbox)."""
    journey = Journey(seller.client, f"buyer-{uuid.uuid4().hex[:8]}", seller.supplier_id, seller.product_id)
    await journey.find(f"kettle{seller.run}")
    await journey.buy()
    trade = Trade(seller, journey)
    assert trade.total == UNIT_PRICE * QUANTITY + trade.shipping, journey.quote
    return trade
