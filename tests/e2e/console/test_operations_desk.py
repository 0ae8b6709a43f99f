"""Operations in the browser: a garbled message parks on escrow's queue; the engineer on call finds it,
reads it (as text), replays it (it parks again, still garbled) and discards it with a reason."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from deploy.local.stack import LocalStack
from tests.e2e.console.conftest import Console
from tests.e2e.parking import escrow_queue, park_garbled, parked_on

GARBLED = b"{garbled <script>alert('parked')</script>"


async def test_the_engineer_on_call_inspects_replays_and_discards_a_parked_message(
    stack: LocalStack, console: Console
) -> None:
    queue = escrow_queue(stack)
    async with PlatformClient.for_stack(stack) as client:
        operator = client.token("ops-console-e2e", "ops:platform")

        async def parked() -> list[dict[str, Any]]:
            return await parked_on(client, operator, queue)

        async def parked_once() -> bool:
            return len(await parked()) == 1

        # Given a garbled message parked on one of escrow's queues once its retries are spent
        item = await park_garbled(stack, client, operator, GARBLED, "console-garbled")

        # When the engineer on call opens the operations desk, the queue and the message are listed
        oncall = await console.signed_in("ops:platform", "oncall-olu")
        page = oncall.page
        await oncall.open("/operations")
        await expect(page.locator("[data-parked]")).to_contain_text(queue)
        await oncall.snapshot("operations", docs="operations")

        # And inspecting it shows the raw body as text, with why it was parked
        await page.click(f'tr[data-parked-id="{item["id"]}"] a')
        await expect(page.locator("[data-body]")).to_have_text(GARBLED.decode())
        await expect(page.locator("[data-error]")).to_contain_text("invalid envelope")
        await oncall.snapshot("operations-parked")

        # When it is replayed it goes back to its queue, fails again and parks again
        await page.click("text=Replay to its queue")
        await expect(page.locator("[data-done]")).to_contain_text(f"replayed 1 message(s) to {queue}")
        await eventually(parked_once)
        [again] = await parked()

        # When it is discarded with a reason, the parking lot is empty
        await oncall.open(f"/operations/parked/escrow/{again['id']}")
        await page.fill("input[name=reason]", "garbled test message, no producer sends it")
        await page.click('button:has-text("Discard")')
        await expect(page.locator("[data-done]")).to_contain_text("discarded")
        assert await parked() == []
