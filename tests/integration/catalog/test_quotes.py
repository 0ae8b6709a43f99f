"""Quotes lock the tier price (and Guaranteed shipping) in a signed, expiring document escrow verifies."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from deploy.local.polling import eventually
from shared.contracts.catalog import Quote
from shared.contracts.logistics import GuaranteedRouteUpserted
from shared.money import Money
from shared.security.jwt import TokenVerifier
from tests.integration.catalog.support import Catalog, at, priced, terms, usd
from tests.support.services import EventInjector


async def quote(
    catalog: Catalog, product_id: str, quantity: int, destination: str = "DE", **extra: Any
) -> Any:
    body = {"product_id": product_id, "quantity": quantity, "destination": destination, **extra}
    return await catalog.call("POST", "/v1/quotes", catalog.tokens.buyer("b-1"), body)


async def test_a_quote_resolves_the_tier_at_its_boundaries(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    product_id = await catalog.list_product("sup-a")
    prices = {}
    for quantity in (100, 490, 500, 1990, 2000, 50_000):
        status, body = await quote(catalog, product_id, quantity)
        assert status == 201, body
        prices[quantity] = (body["quote"]["tier_min_qty"], body["quote"]["unit_price"]["amount"])
    assert prices == {
        100: (100, 500),
        490: (100, 500),
        500: (500, 450),
        1990: (500, 450),
        2000: (2000, 400),
        50_000: (2000, 400),
    }


async def test_a_quote_refuses_quantities_below_the_moq_or_off_the_multiple(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    product_id = await catalog.list_product("sup-a")
    below_status, below = await quote(catalog, product_id, 90)
    off_status, off = await quote(catalog, product_id, 105)
    assert (below_status, below["type"].rsplit("/", 1)[-1]) == (422, "quantity-below-moq")
    assert (off_status, off["type"].rsplit("/", 1)[-1]) == (422, "quantity-not-multiple")
    assert below["errors"][0]["field"] == "quantity"


async def test_a_guaranteed_quote_adds_landed_shipping_from_the_replicated_route_table(
    catalog: Catalog, inject: EventInjector
) -> None:
    # given a Guaranteed product of a CN supplier and two CN→DE routes announced by logistics
    await catalog.register("sup-a", country="CN")
    product_id = await catalog.list_product("sup-a", terms(guaranteed={"dispatch_within": "PT96H"}))
    for route_id, days, per_unit in (("r-slow", 12, 30), ("r-fast", 8, 45)):
        await inject.publish(
            GuaranteedRouteUpserted(
                route_id=route_id,
                origin="CN",
                destination="DE",
                carrier_service="sea-rail",
                transit_days=days,
                price_per_unit=Money(amount=per_unit, currency="USD"),
                price_per_kg=None,
                destination_timezone="Europe/Berlin",
                active=True,
            )
        )

    async def fastest_route_known() -> bool:
        status, body = await quote(catalog, product_id, 500)
        return bool(status == 201 and body["quote"]["route_id"] == "r-fast")

    await eventually(fastest_route_known)
    # when a buyer asks for 500 units to DE
    _, body = await quote(catalog, product_id, 500)
    locked = body["quote"]
    # then the fastest lane prices the shipping, included in the locked total
    assert locked["shipping"] == usd(45 * 500)
    assert locked["total"] == usd(450 * 500 + 45 * 500)
    assert (locked["transit_days"], locked["origin"], locked["title"]) == (
        8,
        "CN",
        "Stainless steel bottle 750 ml",
    )
    # and the lane's time zone, in which escrow counts the promised delivery day
    assert locked["destination_timezone"] == "Europe/Berlin"
    # and a destination without a Guaranteed route is refused, naming it
    status, problem = await quote(catalog, product_id, 500, destination="BR")
    assert (status, problem["errors"][0]["field"]) == (422, "destination")


async def test_a_quote_is_signed_for_escrow_and_expires(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    product_id = await catalog.list_product("sup-a")
    _, body = await quote(catalog, product_id, 500)
    verifier = TokenVerifier.from_file(
        catalog.quote_public_keys, audience="tradeguard-escrow", issuer="tradeguard-catalog"
    )
    claims = verifier.verify_claims(body["token"], require=("exp", "aud", "iss"))
    signed = Quote.model_validate(claims["quote"])
    assert signed == Quote.model_validate(body["quote"])
    assert claims["jti"] == signed.id
    assert signed.expires_at - signed.issued_at == timedelta(hours=24)
    assert int(signed.expires_at.timestamp()) == claims["exp"]
    assert signed.buyer_id == "b-1"


async def test_a_sample_quote_uses_the_sample_offer_below_the_moq(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    product_id = await catalog.list_product("sup-a", terms(sample={"unit_price": usd(900), "max_qty": 5}))
    status, body = await quote(catalog, product_id, 3, kind="sample")
    assert status == 201, body
    assert (body["quote"]["kind"], body["quote"]["total"]) == ("sample", usd(2_700))
    status, problem = await quote(catalog, product_id, 6, kind="sample")
    assert (status, problem["errors"][0]["field"]) == (422, "quantity")


async def test_only_buyers_ask_for_quotes(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    product_id = await catalog.list_product("sup-a")
    body = {"product_id": product_id, "quantity": 500, "destination": "DE"}
    status, _ = await catalog.call("POST", "/v1/quotes", catalog.supplier_token("sup-a"), body)
    assert status == 403
    status, _ = await catalog.call(
        "POST", "/v1/quotes", catalog.tokens.buyer("b-1"), {**body, "product_id": "nope"}
    )
    assert status == 404


async def test_a_quote_records_its_exchange_rate_and_easy_return_promise_and_refuses_a_stale_rate(
    catalog: Catalog,
) -> None:
    # given an enrolled supplier's Trade Assurance, Easy Return listing priced in yen
    await catalog.register("sup-a")
    await catalog.record("sup-a", "trade-assurance", {"enrolled": True}, method="PUT")
    yen = priced(1_000, currency="JPY", trade_assurance=True, easy_return=True)
    product_id = await catalog.list_product("sup-a", yen)
    # and the rate provider's yen rate, published now: US$3,000 is 400 000 yen at 0.0075
    rate = {"usd_per_unit": "0.0075", "as_of": at(catalog.clock.now())}
    published = await catalog.service.call("PUT", "/sandbox/exchange-rates/JPY", json=rate)
    assert published.status == 200, await published.text()
    unknown = await catalog.service.call("PUT", "/sandbox/exchange-rates/XYZ", json=rate)
    assert unknown.status == 422, await unknown.text()

    # when a buyer asks for a quote to Japan
    status, body = await quote(catalog, product_id, 100, destination="JP")

    # then the signed quote records the rate with its source and time, and Easy Return decided at it
    assert status == 201, body
    recorded = body["quote"]["exchange_rate"]
    assert (recorded["currency"], recorded["usd_per_unit"], recorded["source"]) == (
        "JPY",
        "0.0075",
        "sandbox",
    )
    assert body["quote"]["easy_return"]["eligible"] is True
    assert body["quote"]["easy_return"]["value_cap"] == {"amount": 400_000, "currency": "JPY"}

    # when the provider's rate is older than a day, then quoting is refused with a problem saying why
    catalog.clock.advance(timedelta(hours=24, seconds=1))
    status, problem = await quote(catalog, product_id, 100, destination="JP")
    assert (status, problem["type"]) == (503, "https://tradeguard.dev/problems/exchange-rate-unavailable")
    assert "older than" in problem["detail"]


async def test_a_listing_outside_trade_assurance_cannot_offer_easy_return(catalog: Catalog) -> None:
    await catalog.register("sup-a")
    status, problem = await catalog.call(
        "POST", "/v1/products", catalog.supplier_token("sup-a"), terms(easy_return=True)
    )
    assert status == 422, problem
    assert problem["errors"][0]["field"] == "easy_return"
