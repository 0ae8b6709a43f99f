"""The console in the browser refuses what it must: a buyer's token at every ops page, a form posted
without its CSRF value, a forged cookie."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from deploy.local.client import PlatformClient
from deploy.local.stack import LocalStack
from tests.e2e.console.conftest import Console

OPS_PAGES = [
    "/mediation",
    "/mediation/cases/clm_unknown",
    "/verification",
    "/verification/suppliers/sup-unknown",
    "/finance",
    "/finance/orders?buyer_id=b",
    "/orders/ord_unknown",
    "/operations",
    "/operations/parked/escrow/unknown",
]


async def test_a_buyers_token_from_the_gateway_is_refused_every_ops_page(
    stack: LocalStack, console: Console
) -> None:
    async with PlatformClient.for_stack(stack) as client:
        buyer = client.token("buyer-curious", "buyer", "standard")
    tab = await console.anonymous(bearer=buyer)
    for path in OPS_PAGES:
        response = await tab.page.goto(f"{tab.url}{path}")
        assert response is not None
        assert response.status == 403, path
        await expect(tab.page.locator("h1")).to_have_text("Not your desk")
    await tab.snapshot("refused-buyer")


@pytest.mark.parametrize(
    "path", ["/signin", "/signout", "/mediation/cases/clm_x/take", "/mediation/cases/clm_x/decision"]
)
async def test_a_form_posted_without_its_csrf_value_is_refused(console: Console, path: str) -> None:
    mediator = await console.signed_in("ops:mediator", "mediator-csrf")
    # The browser's own cookies go along, as they would from a forged form; only the CSRF value is missing.
    response = await mediator.page.request.post(
        f"{mediator.url}{path}", form={"favour": "buyer_full", "rationale": "forged"}, max_redirects=0
    )

    assert response.status == 403
    assert "CSRF" in await response.text()


async def test_a_forged_session_cookie_is_not_a_session(console: Console) -> None:
    tab = await console.anonymous()
    await tab.page.context.add_cookies([{"name": "tg_console", "value": "forged", "url": tab.url}])
    await tab.open("/mediation")

    await expect(tab.page.locator("h1")).to_have_text("Sign in")
    await tab.snapshot("signin")
