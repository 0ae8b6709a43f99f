"""The journey as the tests use it: a verified seller with a listed product, its paid orders, and what
happens to them."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from deploy.local.client import PlatformClient
from deploy.local.polling import eventually

from .steps import (
    QUANTITY,
    Direct,
    buy,
    carrier_delivers,
    confirm_receipt,
    dispatch,
    find_product,
    order_of,
    order_reaches,
    shipment_opened,
    timeline_of,
)

UNIT_PRICE = 450  # minor units, USD


def money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "USD"}


def verified_audit() -> dict[str, Any]:
    """An SGS audit covering online and on-site checks, valid now: it makes a supplier Verified."""
    now = datetime.now(UTC).replace(microsecond=0)
    return {
        "agency": "SGS",
        "scopes": ["online", "on_site"],
        "supplier_type": "custom_manufacturer",
        "report_ref": "SGS-2026-0042",
        "audited_at": (now - timedelta(days=30)).isoformat(),
        "expires_at": (now + timedelta(days=335)).isoformat(),
        "advanced_manufacturing_attested": True,
    }


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


# The journey as the tests use it: one seller, its paid orders and what happens to them.


@dataclass
class Trade:
    """One paid order of a seller's product by one buyer."""

    seller: Seller
    buyer_id: str
    buyer: str
    order_id: str
    total: int
    shipping: int
    shipment_id: str = ""

    @property
    def client(self) -> PlatformClient:
        return self.seller.client

    @property
    def driver(self) -> Direct:
        return Direct(self.client)

    async def order(self) -> dict[str, Any]:
        return await order_of(self.driver, self.seller.finance, self.order_id)

    def order_is(self, status: str) -> Callable[[], Awaitable[bool]]:
        async def check() -> bool:
            return bool((await self.order())["status"] == status)

        return check

    @property
    def run(self) -> str:
        return self.seller.run

    @property
    def supplier_id(self) -> str:
        return self.seller.supplier_id

    @property
    def supplier(self) -> str:
        return self.seller.supplier

    @property
    def mediator(self) -> str:
        return self.seller.mediator

    async def ledger_is_clean(self) -> None:
        await self.seller.ledger_is_clean()

    async def claim(self, claim_id: str) -> dict[str, Any]:
        document: dict[str, Any] = await self.client.call(
            "disputes", "GET", f"/v1/disputes/{claim_id}", token=self.mediator
        )
        return document

    async def shipment_opened(self) -> None:
        """Logistics opened the shipment when it heard the order was funded."""
        self.shipment_id = await shipment_opened(self.driver, self.buyer, self.order_id)

    async def dispatch(self, *, expect: int = 200) -> dict[str, Any]:
        if expect != 200:  # a refusal the test expects, with the problem it answers
            body: dict[str, Any] = await self.client.call(
                "logistics",
                "POST",
                f"/v1/shipments/{self.shipment_id}/dispatch",
                token=self.supplier,
                json={"carrier": "ups", "tracking_number": f"1Z{uuid.uuid4().hex[:10]}"},
                expect=expect,
            )
            return body
        return await dispatch(self.driver, self.supplier, self.shipment_id)

    async def deliver(self) -> None:
        """Logistics opens the shipment, the supplier dispatches, the sandbox carrier delivers."""
        await self.shipment_opened()
        await self.dispatch()
        await order_reaches(self.driver, self.seller.finance, self.order_id, "shipped")
        await carrier_delivers(self.driver, self.shipment_id)
        await order_reaches(self.driver, self.seller.finance, self.order_id, "delivered")

    async def confirm(self) -> dict[str, Any]:
        await confirm_receipt(self.driver, self.buyer, self.order_id)
        await order_reaches(self.driver, self.seller.finance, self.order_id, "completed")
        return await self.order()

    async def timeline_has(self, *names: str) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []

        async def complete() -> bool:
            entries[:] = await timeline_of(self.driver, self.buyer, self.order_id)
            seen = {f"{entry['service']}.{entry['event']}" for entry in entries}
            return set(names) <= seen

        try:
            await eventually(complete)
        except TimeoutError:
            seen = sorted({f"{entry['service']}.{entry['event']}" for entry in entries})
            raise AssertionError(f"timeline lacks {sorted(set(names) - set(seen))}; has {seen}") from None
        times = [datetime.fromisoformat(entry["time"]) for entry in entries]
        assert times == sorted(times), [(e["service"], e["event"], e["time"]) for e in entries]
        return entries


async def onboard_supplier(client: PlatformClient, run: str, supplier_id: str, *, legal_name: str) -> None:
    """A supplier registers its profile, passes an on-site audit (Verified) and enrols in Trade Assurance."""
    verifier = client.token(f"officer-{run}", "ops:verification")
    profile = {
        "legal_name": legal_name,
        "country": "CN",
        "year_established": 2012,
        "main_markets": ["EU", "US"],
        "staff_count": 90,
        "factory_size_m2": 6000,
    }
    await client.call(
        "catalog", "POST", "/v1/suppliers", token=client.token(supplier_id, "supplier"), json=profile
    )
    await client.call(
        "catalog", "POST", f"/v1/suppliers/{supplier_id}/audits", token=verifier, json=verified_audit()
    )
    await client.call(
        "catalog",
        "PUT",
        f"/v1/suppliers/{supplier_id}/trade-assurance",
        token=verifier,
        json={"enrolled": True},
    )


async def new_seller(client: PlatformClient, *, easy_return: bool) -> Seller:
    """A supplier registers, is audited and enrolled in Trade Assurance, and lists a TA product."""
    run = uuid.uuid4().hex[:8]
    supplier_id = f"sup-{run}"
    supplier = client.token(supplier_id, "supplier")
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
    product_id = str((await client.call("catalog", "POST", "/v1/products", token=supplier, json=terms))["id"])
    return Seller(
        client=client,
        run=run,
        supplier_id=supplier_id,
        supplier=supplier,
        product_id=product_id,
        mediator=client.token(f"mediator-{run}", "ops:mediator"),
        finance=client.token(f"fin-{run}", "ops:finance"),
    )


async def paid_order(seller: Seller) -> Trade:
    """A new buyer finds the seller's product, gets a quote to the US, orders and pays (sandbox)."""
    client = seller.client
    driver = Direct(client)
    buyer_id = f"buyer-{uuid.uuid4().hex[:8]}"
    buyer = client.token(buyer_id, "buyer", "standard")
    await find_product(driver, buyer, f"kettle{seller.run}", seller.product_id)
    quoted, order_id = await buy(driver, buyer, seller.product_id)
    total = int(quoted["total"]["amount"])
    shipping = int((quoted.get("shipping") or money(0))["amount"])
    assert total == int(quoted["unit_price"]["amount"]) * QUANTITY + shipping, quoted
    await order_reaches(driver, seller.finance, order_id, "funded")
    return Trade(
        seller=seller, buyer_id=buyer_id, buyer=buyer, order_id=order_id, total=total, shipping=shipping
    )
