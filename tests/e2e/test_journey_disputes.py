"""Disputes journeys over HTTP across the four services: a silent supplier's claim escalates by itself and a
mediator decides it; a failed pre-shipment inspection blocks dispatch and ends in a full refund."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from deploy.local.client import PlatformClient
from deploy.local.stack import LocalStack
from tests.e2e.journeys import money, verified_audit
from tests.support.toy import eventually

UNIT_PRICE = 450  # minor units, USD
QUANTITY = 200
AUTO_ESCALATION = timedelta(days=7, hours=1)  # the disputes policy escalates a silent claim after 7 days


@dataclass
class Trade:
    """One verified Trade Assurance supplier, one buyer, one paid order and the ops people around it."""

    client: PlatformClient
    run: str
    supplier_id: str
    buyer_id: str
    supplier: str
    buyer: str
    mediator: str
    finance: str
    order_id: str
    total: int
    shipment_id: str = ""

    async def order(self) -> dict[str, Any]:
        document: dict[str, Any] = await self.client.call(
            "escrow", "GET", f"/v1/orders/{self.order_id}", token=self.finance
        )
        return document

    def order_is(self, status: str) -> Callable[[], Awaitable[bool]]:
        async def check() -> bool:
            return bool((await self.order())["status"] == status)

        return check

    async def shipment_opened(self) -> None:
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

    async def dispatch(self, *, expect: int) -> dict[str, Any]:
        body: dict[str, Any] = await self.client.call(
            "logistics",
            "POST",
            f"/v1/shipments/{self.shipment_id}/dispatch",
            token=self.supplier,
            json={"carrier": "ups", "tracking_number": f"1Z{self.run}"},
            expect=expect,
        )
        return body

    async def claim(self, claim_id: str) -> dict[str, Any]:
        document: dict[str, Any] = await self.client.call(
            "disputes", "GET", f"/v1/disputes/{claim_id}", token=self.mediator
        )
        return document

    async def ledger_is_clean(self) -> None:
        check = await self.client.call("escrow", "GET", "/v1/ledger/check", token=self.finance)
        assert check["breaches"] == [], check

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


async def _paid_order(client: PlatformClient) -> Trade:
    """A verified Trade Assurance supplier lists a product; a buyer finds it, orders and pays (sandbox)."""
    run = uuid.uuid4().hex[:8]
    supplier_id, buyer_id = f"sup-{run}", f"buyer-{run}"
    supplier = client.token(supplier_id, "supplier")
    buyer = client.token(buyer_id, "buyer", "standard")
    verifier = client.token(f"officer-{run}", "ops:verification")
    profile = {
        "legal_name": f"Ningbo Widgets {run} Co., Ltd.",
        "country": "CN",
        "year_established": 2010,
        "main_markets": ["EU", "US"],
        "staff_count": 120,
        "factory_size_m2": 8000,
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
    keyword = f"mug{run}"
    terms = {
        "title": f"Enamel camping {keyword} 350 ml",
        "category_id": "drinkware",
        "parent_category_id": "kitchen",
        "moq": 100,
        "order_multiple": 10,
        "currency": "USD",
        "trade_assurance": True,
        "tiers": [{"min_qty": 100, "unit_price": money(UNIT_PRICE)}],
    }
    product_id = str((await client.call("catalog", "POST", "/v1/products", token=supplier, json=terms))["id"])

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
    total = int(quoted["quote"]["total"]["amount"])
    placed = await client.call(
        "escrow", "POST", "/v1/orders", token=buyer, json={"quote": quoted["token"]}, expect=201
    )
    order_id = str(placed["order_id"])
    intent = await client.call("escrow", "POST", f"/v1/orders/{order_id}/payments", token=buyer, expect=201)
    await client.call(
        "escrow", "POST", f"/sandbox/payments/{intent['intent_id']}/succeed", json={}, expect=200
    )
    trade = Trade(
        client=client,
        run=run,
        supplier_id=supplier_id,
        buyer_id=buyer_id,
        supplier=supplier,
        buyer=buyer,
        mediator=client.token(f"mediator-{run}", "ops:mediator"),
        finance=client.token(f"fin-{run}", "ops:finance"),
        order_id=order_id,
        total=total,
    )
    await eventually(trade.order_is("funded"))
    await trade.shipment_opened()
    return trade


async def _delivered_order(client: PlatformClient) -> Trade:
    trade = await _paid_order(client)
    await trade.dispatch(expect=200)
    await eventually(trade.order_is("shipped"))
    tracked = await client.call(
        "logistics",
        "POST",
        f"/sandbox/shipments/{trade.shipment_id}/tracking",
        json={"status": "delivered"},
        expect=200,
    )
    assert all(status < 300 for status in tracked["statuses"]), tracked
    await eventually(trade.order_is("delivered"))
    return trade


async def test_quality_dispute_times_out_escalates_and_the_mediators_partial_refund_reaches_escrow(
    stack: LocalStack,
) -> None:
    async with PlatformClient.for_stack(stack) as client:
        trade = await _delivered_order(client)
        refund = trade.total * 30 // 100

        # The buyer claims the goods are not as agreed and asks for part of the money back.
        claim = await client.call(
            "disputes",
            "POST",
            "/v1/disputes",
            token=trade.buyer,
            json={
                "order_id": trade.order_id,
                "reason": "quality_not_as_agreed",
                "requested_outcome": "partial_refund",
                "amount": money(refund),
                "description": "enamel chipped on a third of the mugs",
            },
            expect=201,
        )
        claim_id = str(claim["claim_id"])
        assert claim["status"] == "awaiting_supplier", claim

        # Escrow freezes the order: nothing is released while the claim is open.
        await eventually(trade.order_is("frozen"))
        frozen = await trade.order()
        assert frozen["frozen_by_claim"] == claim_id
        assert (frozen["held"], frozen["released"]) == (money(trade.total), money(0))

        # The supplier stays silent for more than 7 days: the claim escalates by itself.
        await client.advance_clock(int(AUTO_ESCALATION.total_seconds()))

        async def escalated() -> bool:
            return bool((await trade.claim(claim_id))["status"] == "escalated")

        await eventually(escalated)
        # Release stays frozen although the buyer's auto-confirmation deadline may have passed.
        assert (await trade.order())["status"] == "frozen"

        # A mediator takes the case and decides a partial refund.
        taken = await client.call(
            "disputes", "POST", f"/v1/disputes/{claim_id}/mediation", token=trade.mediator
        )
        assert taken["status"] == "under_mediation", taken
        decision = {
            "favour": "buyer_partial",
            "refund": money(refund),
            "rationale": "photos show chipped enamel on about a third of the lot",
        }
        await client.call(
            "disputes", "POST", f"/v1/disputes/{claim_id}/decision", token=trade.mediator, json=decision
        )

        # Escrow refunds that part; the rest stays held for the supplier.
        await eventually(trade.order_is("partially_refunded"))
        refunded = await trade.order()
        assert refunded["paid"] == money(trade.total)
        assert refunded["refunded"] == money(refund)
        assert refunded["held"] == money(trade.total - refund)
        assert refunded["released"] == money(0)
        assert [(r["amount"], r["claim_id"]) for r in refunded["refunds"]] == [(money(refund), claim_id)]
        assert refunded["frozen_by_claim"] is None
        await trade.ledger_is_clean()

        async def resolved() -> bool:
            return bool((await trade.claim(claim_id))["status"] == "resolved")

        await eventually(resolved)

        # The catalog counts the dispute against the supplier.
        async def disputed() -> bool:
            supplier = await client.call(
                "catalog", "GET", f"/v1/suppliers/{trade.supplier_id}", token=trade.buyer
            )
            rate = supplier["metrics"]["dispute_rate_bps"]
            return rate is not None and rate > 0

        await eventually(disputed)

        # The timeline tells the story across escrow, logistics and disputes.
        entries = await trade.timeline_has(
            "logistics.shipment_delivered",
            "disputes.claim_opened",
            "escrow.order_frozen",
            "disputes.claim_escalated",
            "disputes.claim_settled",
            "escrow.refund_issued",
        )
        issued = next(entry for entry in entries if entry["event"] == "refund_issued")
        assert issued["details"]["amount"] == money(refund)
        escalation = next(entry for entry in entries if entry["event"] == "claim_escalated")
        assert escalation["actor"] == "platform", escalation  # escalated by the timer, not the buyer


async def test_failed_pre_shipment_inspection_blocks_dispatch_and_ends_in_a_full_refund(
    stack: LocalStack,
) -> None:
    async with PlatformClient.for_stack(stack) as client:
        trade = await _paid_order(client)

        # The buyer books SGS before dispatch, with the contract's measurable criteria.
        criteria = [
            {"name": "defect_rate", "unit": "%", "max_value": "2.5"},
            {"name": "quantity", "unit": "pcs", "min_value": str(QUANTITY)},
        ]
        booked = await client.call(
            "logistics",
            "POST",
            "/v1/inspections",
            token=trade.buyer,
            json={"order_id": trade.order_id, "agency": "sgs", "criteria": criteria},
            expect=201,
        )
        inspection_id = str(booked["inspection_id"])

        # The agency reports a defect rate far above the limit.
        reported = await client.call(
            "logistics",
            "POST",
            f"/sandbox/inspections/{inspection_id}/result",
            json={
                "measurements": {"defect_rate": "7.5", "quantity": str(QUANTITY)},
                "report_ref": f"SGS-{trade.run}",
            },
            expect=200,
        )
        assert reported["statuses"] == [200], reported

        # The supplier can no longer dispatch.
        blocked = await trade.dispatch(expect=409)
        assert str(blocked["type"]).endswith("/dispatch-blocked-by-failed-inspection"), blocked

        # Disputes opens a platform case by itself, straight to mediation, for everything paid.
        cases: list[dict[str, Any]] = []

        async def case_opened() -> bool:
            found = await client.call(
                "disputes", "GET", f"/v1/orders/{trade.order_id}/disputes", token=trade.buyer
            )
            cases[:] = found["items"]
            return bool(cases)

        await eventually(case_opened)
        [case] = cases
        claim_id = str(case["claim_id"])
        assert case["reason"] == "quality_not_as_agreed", case
        assert case["status"] == "escalated", case
        assert case["amount"] == money(trade.total), case
        await eventually(trade.order_is("frozen"))

        # A mediator takes the case and decides a full refund.
        await client.call("disputes", "POST", f"/v1/disputes/{claim_id}/mediation", token=trade.mediator)
        decision = {"favour": "buyer_full", "rationale": f"SGS-{trade.run}: defect rate 7.5 % against 2.5 %"}
        await client.call(
            "disputes", "POST", f"/v1/disputes/{claim_id}/decision", token=trade.mediator, json=decision
        )

        # Escrow refunds everything; nothing is left to release.
        await eventually(trade.order_is("refunded"))
        refunded = await trade.order()
        assert refunded["paid"] == money(trade.total)
        assert refunded["refunded"] == money(trade.total)
        assert refunded["held"] == money(0)
        assert refunded["released"] == money(0)
        assert refunded["release"] is None
        assert [(r["amount"], r["claim_id"]) for r in refunded["refunds"]] == [(money(trade.total), claim_id)]
        await trade.ledger_is_clean()

        entries = await trade.timeline_has(
            "logistics.inspection_completed",
            "disputes.claim_opened",
            "escrow.order_frozen",
            "disputes.claim_settled",
            "escrow.refund_issued",
        )
        completed = next(entry for entry in entries if entry["event"] == "inspection_completed")
        assert completed["details"]["passed"] is False
        opened = next(entry for entry in entries if entry["event"] == "claim_opened")
        assert opened["actor"] == "platform", opened
