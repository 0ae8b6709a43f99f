"""After-sales requests: only for products sold with the label; past their SLA unfulfilled, claims."""

from __future__ import annotations

from datetime import timedelta

from shared.contracts.catalog import AfterSalesLabel
from tests.integration.disputes.journey import Disputes

LABEL = AfterSalesLabel.FREE_REPLACEMENT_PARTS


async def test_after_sales_service_is_requested_only_for_products_sold_with_it(disputes: Disputes) -> None:
    await disputes.delivered("ord-1")  # sold without after-sales labels
    body = {"label": LABEL.value, "description": "pump seal leaking"}

    status, problem = await disputes.call(
        "POST", "/v1/orders/ord-1/after-sales-requests", disputes.buyer(), body
    )

    assert status == 409
    assert problem["type"].endswith("/after-sales-not-offered")


async def test_an_after_sales_request_unfulfilled_within_its_sla_becomes_a_claim(disputes: Disputes) -> None:
    # Given two requests on an order sold with free replacement parts
    await disputes.delivered("ord-1", labels=(LABEL,))
    body = {"label": LABEL.value, "description": "pump seal leaking"}
    status, fulfilled = await disputes.call(
        "POST", "/v1/orders/ord-1/after-sales-requests", disputes.buyer(), body
    )
    assert status == 201
    status, ignored = await disputes.call(
        "POST", "/v1/orders/ord-1/after-sales-requests", disputes.buyer(), body
    )
    assert status == 201

    # When the supplier fulfils one within the SLA and lets the other lapse
    status, done = await disputes.call(
        "POST", f"/v1/after-sales-requests/{fulfilled['request_id']}/fulfil", disputes.supplier()
    )
    assert (status, done["status"]) == (200, "fulfilled")
    disputes.clock.advance(timedelta(days=7))
    assert await disputes.timer("after-sales-sla").sweep() == 1

    # Then only the lapsed one became an after_sales_not_provided claim for the platform to mediate
    [opened] = await disputes.published("disputes.claim_opened")
    assert (opened["reason"], opened["opened_by"]) == ("after_sales_not_provided", "platform")
    status, request = await disputes.call(
        "GET", f"/v1/after-sales-requests/{ignored['request_id']}", disputes.buyer()
    )
    assert (status, request["status"], request["claim_id"]) == (200, "converted_to_claim", opened["claim_id"])
