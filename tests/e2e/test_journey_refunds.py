"""Refund journeys over HTTP across the four services: an Easy Return ends in a refund once the warehouse
scans the parcel; a refund after release is paid by the guarantee fund and recovered from the next payout."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from deploy.local.client import PlatformClient
from deploy.local.stack import LocalStack
from tests.e2e.journeys import money, verified_audit
from tests.support.toy import eventually

UNIT_PRICE = 450  # minor units, USD
QUANTITY = 200
FEE_BPS = 200  # escrow's default platform fee: 2 %


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

    async def order(self) -> dict[str, Any]:
        document: dict[str, Any] = await self.client.call(
            "escrow", "GET", f"/v1/orders/{self.order_id}", token=self.seller.finance
        )
        return document

    def order_is(self, status: str) -> Callable[[], Awaitable[bool]]:
        async def check() -> bool:
            return bool((await self.order())["status"] == status)

        return check

    async def deliver(self) -> None:
        """Logistics opens the shipment, the supplier dispatches, the sandbox carrier delivers."""

        async def opened() -> bool:
            found = await self.client.call(
                "logistics",
                "GET",
                f"/v1/orders/{self.order_id}/shipment",
                token=self.buyer,
                expect=(200, 404),
            )
            if found and found.get("shipment_id"):
                self.shipment_id = str(found["shipment_id"])
                return True
            return False

        await eventually(opened)
        await self.client.call(
            "logistics",
            "POST",
            f"/v1/shipments/{self.shipment_id}/dispatch",
            token=self.seller.supplier,
            json={"carrier": "ups", "tracking_number": f"1Z{uuid.uuid4().hex[:10]}"},
        )
        await eventually(self.order_is("shipped"))
        tracked = await self.client.call(
            "logistics",
            "POST",
            f"/sandbox/shipments/{self.shipment_id}/tracking",
            json={"status": "delivered"},
            expect=200,
        )
        assert all(status < 300 for status in tracked["statuses"]), tracked
        await eventually(self.order_is("delivered"))

    async def confirm(self) -> dict[str, Any]:
        await self.client.call(
            "escrow", "POST", f"/v1/orders/{self.order_id}/confirm-receipt", token=self.buyer
        )
        await eventually(self.order_is("completed"))
        return await self.order()

    async def timeline_has(self, *names: str) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []

        async def complete() -> bool:
            timeline = await self.client.call(
                "escrow", "GET", f"/v1/orders/{self.order_id}/timeline", token=self.buyer
            )
            entries[:] = timeline["entries"]
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


async def _seller(client: PlatformClient, *, easy_return: bool) -> Seller:
    """A supplier registers, is audited and enrolled in Trade Assurance, and lists a TA product."""
    run = uuid.uuid4().hex[:8]
    supplier_id = f"sup-{run}"
    supplier = client.token(supplier_id, "supplier")
    verifier = client.token(f"officer-{run}", "ops:verification")
    profile = {
        "legal_name": f"Yiwu Kettles {run} Co., Ltd.",
        "country": "CN",
        "year_established": 2012,
        "main_markets": ["EU", "US"],
        "staff_count": 90,
        "factory_size_m2": 6000,
    }
    await client.call("catalog", "POST", "/v1/suppliers", token=supplier, json=profile)
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


async def _paid_order(seller: Seller) -> Trade:
    """A new buyer finds the seller's product, gets a quote to the US, orders and pays (sandbox)."""
    client = seller.client
    buyer_id = f"buyer-{uuid.uuid4().hex[:8]}"
    buyer = client.token(buyer_id, "buyer", "standard")

    async def searchable() -> bool:
        found = await client.call(
            "catalog", "GET", "/v1/products", token=buyer, params={"q": f"kettle{seller.run}"}
        )
        return seller.product_id in [item["id"] for item in found["items"]]

    await eventually(searchable)
    quoted = await client.call(
        "catalog",
        "POST",
        "/v1/quotes",
        token=buyer,
        json={"product_id": seller.product_id, "quantity": QUANTITY, "destination": "US"},
        expect=201,
    )
    quote = quoted["quote"]
    total = int(quote["total"]["amount"])
    shipping = int((quote.get("shipping") or money(0))["amount"])
    assert total == UNIT_PRICE * QUANTITY + shipping, quote
    placed = await client.call(
        "escrow", "POST", "/v1/orders", token=buyer, json={"quote": quoted["token"]}, expect=201
    )
    order_id = str(placed["order_id"])
    assert placed["supplier_id"] == seller.supplier_id
    intent = await client.call("escrow", "POST", f"/v1/orders/{order_id}/payments", token=buyer, expect=201)
    await client.call(
        "escrow", "POST", f"/sandbox/payments/{intent['intent_id']}/succeed", json={}, expect=200
    )
    trade = Trade(
        seller=seller, buyer_id=buyer_id, buyer=buyer, order_id=order_id, total=total, shipping=shipping
    )
    await eventually(trade.order_is("funded"))
    return trade


async def test_easy_return_label_then_warehouse_receipt_refunds_the_buyer(stack: LocalStack) -> None:
    async with PlatformClient.for_stack(stack) as client:
        seller = await _seller(client, easy_return=True)
        product = await client.call(
            "catalog", "GET", f"/v1/products/{seller.product_id}", token=seller.supplier
        )
        flags = (product["product"]["trade_assurance"], product["product"]["easy_return"])
        assert flags == (True, True), product
        trade = await _paid_order(seller)
        await trade.deliver()

        # The buyer finds the goods defective and asks for an Easy Return: a free label to the US warehouse.
        issued = await client.call(
            "logistics",
            "POST",
            "/v1/returns",
            token=trade.buyer,
            json={"order_id": trade.order_id, "reason": "quality_not_as_agreed"},
            expect=201,
        )
        return_id = str(issued["return_id"])
        assert issued["order_id"] == trade.order_id, issued
        assert issued["refund_amount"] == money(trade.total), issued

        # The local warehouse scans the parcel in.
        await client.call("logistics", "POST", f"/sandbox/returns/{return_id}/scan", json={}, expect=200)
        received = await client.call("logistics", "GET", f"/v1/returns/{return_id}", token=trade.buyer)
        assert received["status"] == "received", received
        await trade.timeline_has("logistics.shipment_delivered", "logistics.return_received")

        # Escrow refunds the buyer everything paid: goods and shipping.
        try:
            await eventually(trade.order_is("refunded"))
        except TimeoutError:
            stuck = await trade.order()
            raise AssertionError(
                f"no refund after return_received: status={stuck['status']} held={stuck['held']} "
                f"refunds={stuck['refunds']} auto_confirm_at={stuck['auto_confirm_at']}"
            ) from None
        refunded = await trade.order()
        assert refunded["refunded"] == money(UNIT_PRICE * QUANTITY + trade.shipping)
        assert refunded["held"] == money(0)
        assert refunded["released"] == money(0)
        await seller.ledger_is_clean()
        entries = await trade.timeline_has("logistics.return_received", "escrow.refund_issued")
        issued_entry = next(entry for entry in entries if entry["event"] == "refund_issued")
        assert issued_entry["details"]["amount"] == money(trade.total)


async def test_refund_after_release_is_paid_from_the_guarantee_fund_and_recovered_from_the_next_payout(
    stack: LocalStack,
) -> None:
    async with PlatformClient.for_stack(stack) as client:
        seller = await _seller(client, easy_return=False)

        # A first order is delivered and confirmed: escrow releases it to the supplier.
        first = await _paid_order(seller)
        await first.deliver()
        completed = await first.confirm()
        assert completed["release"]["amount"] == money(first.total)
        assert completed["release"]["platform_fee"] == money(first.total * FEE_BPS // 10_000)
        assert completed["release"]["recovered_receivable"] == money(0)

        # Within the money-back window the buyer claims the goods were not as agreed.
        refund = first.total * 25 // 100
        claim = await client.call(
            "disputes",
            "POST",
            "/v1/disputes",
            token=first.buyer,
            json={
                "order_id": first.order_id,
                "reason": "quality_not_as_agreed",
                "requested_outcome": "partial_refund",
                "amount": money(refund),
                "description": "a quarter of the kettles trip the breaker",
            },
            expect=201,
        )
        claim_id = str(claim["claim_id"])
        await eventually(first.order_is("frozen"))
        assert (await first.order())["frozen_by_claim"] == claim_id

        # The supplier rejects it, the buyer escalates at once, a mediator decides a partial refund.
        await client.call("disputes", "POST", f"/v1/disputes/{claim_id}/reject", token=seller.supplier)
        await client.call("disputes", "POST", f"/v1/disputes/{claim_id}/escalate", token=first.buyer)
        await client.call("disputes", "POST", f"/v1/disputes/{claim_id}/mediation", token=seller.mediator)
        decision = {
            "favour": "buyer_partial",
            "refund": money(refund),
            "rationale": "test reports show a quarter of the lot defective",
        }
        await client.call(
            "disputes", "POST", f"/v1/disputes/{claim_id}/decision", token=seller.mediator, json=decision
        )

        # The money was already released: the guarantee fund pays the buyer and the supplier owes it.
        await eventually(first.order_is("partially_refunded"))
        refunded = await first.order()
        assert refunded["paid"] == money(first.total)
        assert refunded["released"] == money(first.total)
        assert refunded["refunded"] == money(refund)
        assert refunded["held"] == money(0)
        assert refunded["frozen_by_claim"] is None
        [record] = refunded["refunds"]
        assert (record["amount"], record["claim_id"], record["source"]) == (
            money(refund),
            claim_id,
            "guarantee_fund",
        ), record
        await seller.ledger_is_clean()
        entries = await first.timeline_has(
            "escrow.funds_released", "disputes.claim_opened", "escrow.order_frozen", "escrow.refund_issued"
        )
        issued = next(entry for entry in entries if entry["event"] == "refund_issued")
        # The timeline shows money fields only; the source is on the order's refund record above.
        assert issued["details"]["amount"] == money(refund), issued

        # The supplier's next release repays the fund from its payout.
        second = await _paid_order(seller)
        await second.deliver()
        released = await second.confirm()
        second_fee = second.total * FEE_BPS // 10_000
        assert released["release"]["amount"] == money(second.total)
        assert released["release"]["platform_fee"] == money(second_fee)
        assert released["release"]["recovered_receivable"] == money(refund)
        later = await second.timeline_has("escrow.funds_released")
        funds = next(entry for entry in later if entry["event"] == "funds_released")
        assert funds["details"]["recovered_receivable"] == money(refund), funds
        assert funds["details"]["supplier_payout"] == money(second.total - second_fee - refund), funds
        await seller.ledger_is_clean()
