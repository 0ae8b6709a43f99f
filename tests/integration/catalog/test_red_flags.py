"""Red flags: prices far below comparable listings, and who sells — shown on product, supplier and quote."""

from __future__ import annotations

from typing import Any

from deploy.local.polling import eventually
from tests.integration.catalog.events import receipt_confirmed
from tests.integration.catalog.support import Catalog, priced
from tests.support.services import EventInjector


def codes(signals: list[dict[str, Any]]) -> list[str]:
    return [signal["code"] for signal in signals]


def outliers(signals: list[dict[str, Any]]) -> list[str]:
    return [signal["reason"] for signal in signals if signal["code"] == "price_outlier"]


async def test_a_price_far_below_comparables_is_flagged_on_the_product_and_its_quotes(
    catalog: Catalog,
) -> None:
    # given ten drinkware listings around 5.00 USD
    await catalog.register("sup-a")
    for cents in range(480, 530, 5):
        await catalog.list_product("sup-a", priced(cents))
    fair = await catalog.list_product("sup-a", priced(470))
    # when a listing asks 1.00 USD
    cheap = await catalog.list_product("sup-a", priced(100))
    # then it is flagged with the reason, on the product and on a quote; the fair one is not
    shown = await catalog.ok("GET", f"/v1/products/{cheap}", catalog.tokens.buyer("b-1"))
    [reason] = outliers(shown["risk_signals"])
    assert reason == "1.00 USD is below median 5.00 USD − 3·MAD (0.15 USD) of 11 category listings"
    fair_shown = await catalog.ok("GET", f"/v1/products/{fair}", catalog.tokens.buyer("b-1"))
    assert outliers(fair_shown["risk_signals"]) == []
    body = {"product_id": cheap, "quantity": 100, "destination": "DE"}
    quote = await catalog.ok("POST", "/v1/quotes", catalog.tokens.buyer("b-1"), body)
    assert outliers(quote["quote"]["risk_signals"]) == [reason]


async def test_too_few_comparables_fall_back_to_the_parent_category(catalog: Catalog) -> None:
    # given two other drinkware listings and nine cookware listings, all in the kitchen family
    await catalog.register("sup-a")
    for cents in (500, 510):
        await catalog.list_product("sup-a", priced(cents))
    for cents in range(480, 525, 5):
        await catalog.list_product("sup-a", priced(cents, category_id="cookware"))
    cheap = await catalog.list_product("sup-a", priced(200))
    shown = await catalog.ok("GET", f"/v1/products/{cheap}", catalog.tokens.buyer("b-1"))
    [reason] = outliers(shown["risk_signals"])
    assert "of 11 parent-category listings" in reason


async def test_a_new_unverified_supplier_is_signalled_until_verified_and_trading(
    catalog: Catalog, inject: EventInjector
) -> None:
    await catalog.register("sup-a")
    fresh = await catalog.ok("GET", "/v1/suppliers/sup-a", catalog.tokens.buyer("b-1"))
    assert codes(fresh["risk_signals"]) == ["no_verification", "new_and_unverified_supplier"]
    verified = await catalog.make_verified("sup-a")
    assert codes(verified["risk_signals"]) == ["new_and_unverified_supplier"]
    product = await catalog.list_product("sup-a", priced(500))
    body = {"product_id": product, "quantity": 100, "destination": "DE"}
    quote = await catalog.ok("POST", "/v1/quotes", catalog.tokens.buyer("b-1"), body)
    assert "new_and_unverified_supplier" in codes(quote["quote"]["risk_signals"])
    await inject.publish(receipt_confirmed("o-1", "sup-a", product))

    async def trusted() -> bool:
        view = await catalog.ok("GET", "/v1/suppliers/sup-a", catalog.tokens.buyer("b-1"))
        return bool(view["risk_signals"] == [] and view["metrics"]["completed_orders"] == 1)

    await eventually(trusted)
    # A quote reads the supplier's metrics with the product (one round trip): its completed order counts.
    quote = await catalog.ok("POST", "/v1/quotes", catalog.tokens.buyer("b-1"), body)
    assert "new_and_unverified_supplier" not in codes(quote["quote"]["risk_signals"])
