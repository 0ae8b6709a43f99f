"""Verification in the browser: a supplier's pending certification is the last Verified Pro criterion; the
officer confirms it from the queue and catalog grants the badge."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from playwright.async_api import expect

from deploy.journey import onboard_supplier
from deploy.local.client import PlatformClient
from deploy.local.stack import LocalStack
from tests.e2e.console.conftest import Console


async def _supplier_one_document_short_of_verified_pro(client: PlatformClient) -> tuple[str, str]:
    run = uuid.uuid4().hex[:8]
    supplier_id, number = f"sup-{run}", f"ISO-9001-{run}"
    officer = client.token(f"officer-{run}", "ops:verification")
    await onboard_supplier(client, run, supplier_id, legal_name=f"Ningbo Ceramics {run} Co., Ltd.")
    now = datetime.now(UTC).replace(microsecond=0)
    facts = {
        "export-performance": ("PUT", {"export_percentile": 92, "experience_since": "2011-03-01T00:00:00Z"}),
        "client-cases": (
            "POST",
            {
                "client": "Hotelware Europe GmbH",
                "summary": "12 000 mugs a quarter since 2021",
                "evidence_url": "https://example.com/case",
                "documented_at": (now - timedelta(days=40)).isoformat(),
            },
        ),
        "certifications": (
            "POST",
            {
                "kind": "certification",
                "name": "ISO 9001",
                "number": number,
                "issuer": "TÜV Rheinland",
                "valid_from": (now - timedelta(days=100)).isoformat(),
                "valid_until": (now + timedelta(days=900)).isoformat(),
            },
        ),
    }
    for fact, (method, body) in facts.items():
        await client.call("catalog", method, f"/v1/suppliers/{supplier_id}/{fact}", token=officer, json=body)
    return supplier_id, number


async def test_an_officer_confirms_the_last_document_and_the_verified_pro_badge_appears(
    stack: LocalStack, console: Console
) -> None:
    async with PlatformClient.for_stack(stack) as client:
        # Given a verified supplier whose only missing Verified Pro criterion waits on a pending certificate
        supplier_id, number = await _supplier_one_document_short_of_verified_pro(client)
        buyer = client.token("buyer-looking", "buyer", "standard")
        before = await client.call("catalog", "GET", f"/v1/suppliers/{supplier_id}", token=buyer)
        assert before["badges"]["verified_pro"] is False, before["badges"]

        # When the officer finds the supplier in the queue and confirms the document
        officer = await console.signed_in("ops:verification", "officer-vic")
        page = officer.page
        await officer.open("/verification")
        await officer.snapshot("verification-queue")
        await page.click(f'a[data-supplier="{supplier_id}"]')
        await expect(page.locator('[data-badge="verified_pro"]')).to_have_class("off")
        await officer.snapshot("verification-supplier")
        await page.locator(f'tr[data-document="{number}"] button[value="verified"]').click()

        # Then the page shows the badges catalog recomputed, and the catalog shows the badge to buyers
        await expect(page.locator('[data-badge="verified_pro"]')).to_have_class("on")
        await expect(page.locator(f'tr[data-document="{number}"] .status')).to_have_text("verified")
        await officer.snapshot("verification-decided", docs="verification")
        after = await client.call("catalog", "GET", f"/v1/suppliers/{supplier_id}", token=buyer)
        assert after["badges"]["verified_pro"] is True, after["verified_pro"]
