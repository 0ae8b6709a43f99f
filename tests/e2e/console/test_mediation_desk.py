"""A mediator works an escalated case in the browser, end to end: queue → case file → take → decide a
partial refund with confirmation → the order shows the refund; finance sees the balance move."""

from __future__ import annotations

from playwright.async_api import Dialog, expect

from deploy.journey import QUANTITY, Trade, money, new_seller, paid_order
from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from deploy.local.stack import LocalStack
from shared.money import Money
from tests.e2e.console.conftest import Console, Desk

HOSTILE_MESSAGE = "<script>alert('pwned')</script> the enamel is <b>chipped</b>"


async def _escalated_case(client: PlatformClient) -> tuple[Trade, str]:
    """A failed pre-shipment inspection: disputes opens a platform case straight in mediation."""
    trade = await paid_order(await new_seller(client, easy_return=False))
    await trade.shipment_opened()
    criteria = [{"name": "defect_rate", "unit": "%", "max_value": "2.5"}]
    booked = await client.call(
        "logistics",
        "POST",
        "/v1/inspections",
        token=trade.buyer,
        json={"order_id": trade.order_id, "agency": "sgs", "criteria": criteria},
        expect=201,
    )
    await client.call(
        "logistics",
        "POST",
        f"/sandbox/inspections/{booked['inspection_id']}/result",
        json={
            "measurements": {"defect_rate": "7.5", "quantity": str(QUANTITY)},
            "report_ref": f"SGS-{trade.run}",
        },
        expect=200,
    )
    # The buyer writes in the order's conversation; its text must reach the mediator as text.
    await client.call(
        "disputes",
        "POST",
        f"/v1/orders/{trade.order_id}/messages",
        token=trade.buyer,
        json={"body": HOSTILE_MESSAGE},
        expect=201,
    )
    await eventually(trade.order_is("frozen"))
    return trade, await trade.mediator_finds_case()


async def _refunded_usd(finance: Desk) -> str:
    await finance.open("/finance")
    return await finance.page.locator('tr[data-currency="USD"] td[data-kind="refunded"]').inner_text()


async def test_a_mediator_decides_a_partial_refund_in_the_browser_and_the_order_and_finance_show_it(
    stack: LocalStack, console: Console
) -> None:
    async with PlatformClient.for_stack(stack) as client:
        # Given an escalated case, and finance's view of the refunded balance before it is decided
        trade, claim_id = await _escalated_case(client)
        refund = Money(amount=trade.total * 30 // 100, currency="USD")
        finance = await console.signed_in("ops:finance", "finance-fay")
        before = await _refunded_usd(finance)

        # When a mediator signs in and finds it in the queue
        mediator = await console.signed_in("ops:mediator", "mediator-ana")
        page = mediator.page
        dialogs: list[str] = []

        async def script_ran(dialog: Dialog) -> None:  # an injected alert() would open a dialog
            dialogs.append(dialog.message)
            await dialog.dismiss()

        page.on("dialog", script_ran)
        await mediator.open("/mediation")
        await mediator.snapshot("mediation-queue")
        await page.click(f'a[data-claim="{claim_id}"]')

        # Then the case file shows the conversation's text as text, the chain verified
        await expect(page.locator("[data-conversation]")).to_contain_text("<script>alert('pwned')</script>")
        await expect(page.locator(".badge.good")).to_contain_text("hash chain intact")
        assert await page.locator("[data-conversation] script").count() == 0
        await mediator.snapshot("mediation-case", docs="mediation")

        # When the mediator takes the case and decides a partial refund, confirming it
        await page.click("text=Take the case")
        await expect(page.locator("h1 .status")).to_have_text("under mediation")
        await page.check('input[name=favour][value="buyer_partial"]')
        await page.fill("input[name=refund]", refund.format().split()[0])
        await page.fill("textarea[name=rationale]", f"SGS-{trade.run}: defect rate 7.5 % against 2.5 %")
        await page.click("text=Review the decision")
        await expect(page.locator("[data-decision]")).to_have_text(f"Refund {refund.format()}")
        await mediator.snapshot("mediation-confirm")
        await page.click("button[data-once]")

        # Then the order page shows the refund once escrow has issued it (the page reloads itself)
        await page.wait_for_url(f"**/orders/{trade.order_id}?decided={claim_id}")
        refunds = page.locator("table[data-refunds]")
        await expect(refunds).to_contain_text(refund.format(), timeout=30_000)
        await expect(refunds.locator(f'[data-claim="{claim_id}"]')).to_have_count(1)
        await expect(page.locator("[data-order-status]")).to_have_text("partially refunded")
        held = Money(amount=trade.total, currency="USD") - refund
        await expect(page.locator(".figures")).to_contain_text(held.format())
        await mediator.snapshot("mediation-order")
        assert dialogs == []
        assert (await trade.order())["refunded"] == money(refund.amount)

        # And finance sees the refunded balance grow by the refund, and finds the order with its entries
        after = Money.from_major((await _refunded_usd(finance)).split()[0], "USD")
        assert after - Money.from_major(before.split()[0], "USD") == refund
        await expect(finance.page.locator("[data-ledger-ok]")).to_have_text("balanced")
        partially_refunded = finance.page.locator('[data-funnel] + p a[data-status="partially_refunded"]')
        assert int(await partially_refunded.get_attribute("data-count") or 0) >= 1
        await finance.snapshot("finance-balances", docs="finance")
        await finance.page.fill("input[name=buyer_id]", trade.buyer_id)
        await finance.page.click("text=Find orders")
        await finance.snapshot("finance-orders")
        await finance.page.click(f'a[href="/orders/{trade.order_id}"]')
        await expect(finance.page.locator("h2", has_text="Ledger entries")).to_be_visible()
        await expect(finance.page.locator("body")).to_contain_text("refund from escrow")
        await finance.snapshot("finance-order")
