"""Products: wholesale terms are checked field by field, and only the owning supplier revises them."""

from __future__ import annotations

from shared.messaging.outbox import OUTBOX
from tests.integration.catalog.support import Catalog, terms, usd


def fields(problem: dict[str, object]) -> list[object]:
    return [error["field"] for error in problem.get("errors", [])]  # type: ignore[attr-defined]


async def test_tiers_must_start_at_the_moq_and_be_contiguous(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    token = catalog.supplier_token("sup-a")
    gap = terms(
        tiers=[
            {"min_qty": 100, "max_qty": 499, "unit_price": usd(500)},
            {"min_qty": 600, "unit_price": usd(450)},
        ]
    )
    late_start = terms(tiers=[{"min_qty": 200, "unit_price": usd(500)}])
    moq_off_multiple = terms(moq=105, tiers=[{"min_qty": 105, "unit_price": usd(500)}])
    for body, field in (
        (gap, "tiers[1].min_qty"),
        (late_start, "tiers[0].min_qty"),
        (moq_off_multiple, "moq"),
    ):
        status, problem = await catalog.call("POST", "/v1/products", token, body)
        assert (status, fields(problem)) == (422, [field])


async def test_trade_assurance_needs_an_enrolled_supplier(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    token = catalog.supplier_token("sup-a")
    status, problem = await catalog.call("POST", "/v1/products", token, terms(trade_assurance=True))
    assert (status, fields(problem)) == (422, ["trade_assurance"])
    await catalog.record("sup-a", "trade-assurance", {"enrolled": True}, method="PUT")
    assert await catalog.list_product("sup-a", terms(trade_assurance=True))


async def test_a_guaranteed_dispatch_promise_lies_between_72_hours_and_7_days(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    token = catalog.supplier_token("sup-a")
    status, problem = await catalog.call(
        "POST", "/v1/products", token, terms(guaranteed={"dispatch_within": "PT48H"})
    )
    assert (status, fields(problem)) == (422, ["guaranteed.dispatch_within"])
    assert await catalog.list_product("sup-a", terms(guaranteed={"dispatch_within": "PT96H"}))


async def test_a_supplier_cannot_revise_another_suppliers_product(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    await catalog.register("sup-b")
    product_id = await catalog.list_product("sup-a")
    # another supplier's product is visible (public) but not theirs to change
    status, _ = await catalog.call(
        "PATCH", f"/v1/products/{product_id}", catalog.supplier_token("sup-b"), {"title": "x"}
    )
    assert status == 403
    status, _ = await catalog.call(
        "PATCH", "/v1/products/prod_missing", catalog.supplier_token("sup-b"), {"title": "x"}
    )
    assert status == 404
    revised = await catalog.ok(
        "PATCH", f"/v1/products/{product_id}", catalog.supplier_token("sup-a"), {"title": "Bottle"}
    )
    assert revised["product"]["title"] == "Bottle"
    assert revised["product"]["revised_at"] is not None
    published = await catalog.service.published("catalog.product_published")
    assert [event["title"] for event in published] == ["Stainless steel bottle 750 ml", "Bottle"]


async def test_a_revision_is_checked_like_a_new_listing(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    product_id = await catalog.list_product("sup-a")
    token = catalog.supplier_token("sup-a")
    status, problem = await catalog.call("PATCH", f"/v1/products/{product_id}", token, {"moq": 50})
    assert (status, fields(problem)) == (422, ["tiers[0].min_qty"])
    status, problem = await catalog.call("PATCH", f"/v1/products/{product_id}", token, {"colour": "red"})
    assert status == 422


async def test_only_a_registered_supplier_lists_products(catalog: Catalog) -> None:
    status, _ = await catalog.call("POST", "/v1/products", catalog.supplier_token("sup-x"), terms())
    assert status == 409
    status, _ = await catalog.call("POST", "/v1/products", catalog.tokens.buyer("b-1"), terms())
    assert status == 403


async def test_a_product_published_carries_the_correlation_of_the_request_that_listed_it(
    catalog: Catalog,
) -> None:
    await catalog.register("sup-a")

    response = await catalog.service.call(
        "POST",
        "/v1/products",
        token=catalog.supplier_token("sup-a"),
        json=terms(),
        idempotency_key="list-1",
        headers={"X-Correlation-ID": "listing-42"},
    )

    assert response.status == 201
    row = await catalog.service.platform.db[OUTBOX].find_one({"envelope.type": "catalog.product_published"})
    assert row is not None
    assert row["envelope"]["correlation_id"] == "listing-42"
