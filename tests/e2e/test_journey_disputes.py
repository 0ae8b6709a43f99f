"""Disputes journeys over HTTP across the four services: a silent supplier's claim escalates by itself and a
mediator decides it; a failed pre-shipment inspection blocks dispatch and ends in a full refund."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from deploy.journey import QUANTITY, Trade, money, new_seller, paid_order
from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from deploy.local.stack import LocalStack

AUTO_ESCALATION = timedelta(days=7, hours=1)  # the disputes policy escalates a silent claim after 7 days


async def _paid_order(client: PlatformClient) -> Trade:
    """A verified supplier lists a product; a buyer orders and pays; logistics opens the shipment."""
    trade = await paid_order(await new_seller(client, easy_return=False))
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

        # A mediator finds it in the mediation queue, takes the case and decides a partial refund.
        assert await trade.mediator_finds_case() == claim_id
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

        # A mediator finds the case in the mediation queue, takes it and decides a full refund.
        assert await trade.mediator_finds_case() == claim_id
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
