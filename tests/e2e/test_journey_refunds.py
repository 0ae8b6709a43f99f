"""Refund journeys over HTTP across the four services: an Easy Return ends in a refund once the warehouse
scans the parcel; a refund after release is paid by the guarantee fund and recovered from the next payout."""

from __future__ import annotations

from deploy.journey import QUANTITY, UNIT_PRICE, money, new_seller, paid_order
from deploy.journey.finding import find_row, of_order
from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from deploy.local.stack import LocalStack

FEE_BPS = 200  # escrow's default platform fee: 2 %


async def test_easy_return_label_then_warehouse_receipt_refunds_the_buyer(stack: LocalStack) -> None:
    async with PlatformClient.for_stack(stack) as client:
        seller = await new_seller(client, easy_return=True)
        product = await client.call(
            "catalog", "GET", f"/v1/products/{seller.product_id}", token=seller.supplier
        )
        flags = (product["product"]["trade_assurance"], product["product"]["easy_return"])
        assert flags == (True, True), product
        trade = await paid_order(seller)
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
        assert issued["order_id"] == trade.order_id, issued
        # Later, the buyer finds the return among its returns, waiting for the parcel to be sent.
        mine = await find_row(
            client,
            "logistics",
            "/v1/returns",
            token=trade.buyer,
            wanted=of_order(trade.order_id),
            params={"status": "label_issued"},
        )
        assert mine is not None
        assert mine["next_action"]["action"] == "ship_return", mine
        return_id = str(mine["return_id"])
        assert return_id == issued["return_id"]
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
        seller = await new_seller(client, easy_return=False)

        # A first order is delivered and confirmed: escrow releases it to the supplier.
        first = await paid_order(seller)
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

        # The supplier finds the claim among its disputes and rejects it, the buyer escalates at once, and
        # a mediator finds it in the mediation queue and decides a partial refund.
        assert await first.supplier_finds_claim() == claim_id
        await client.call("disputes", "POST", f"/v1/disputes/{claim_id}/reject", token=seller.supplier)
        await client.call("disputes", "POST", f"/v1/disputes/{claim_id}/escalate", token=first.buyer)
        assert await first.mediator_finds_case() == claim_id
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
        second = await paid_order(seller)
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
