"""Guaranteed routes: ops manage the table, every change is announced, anyone reads it and its prices."""

from __future__ import annotations

from tests.integration.logistics.scenario import ROUTE, start_logistics
from tests.support.services import StartService, Tokens


async def test_only_ops_manage_guaranteed_routes_and_each_change_is_announced(
    start_service: StartService, tokens: Tokens
) -> None:
    logistics = await start_logistics(start_service)
    ops = tokens.ops("ops-1", "ops:verification")

    # When a supplier tries to open a route, it is forbidden
    denied = await logistics.call("POST", "/v1/routes", json=ROUTE, token=tokens.supplier("s-1"))
    assert denied.status == 403

    # When ops open the route and later retire it
    created = await logistics.call("POST", "/v1/routes", json=ROUTE, token=ops, idempotency_key="r-1")
    assert created.status == 201, await created.text()
    terms = {key: value for key, value in ROUTE.items() if key != "route_id"} | {"active": False}
    retired = await logistics.call(
        "PUT", "/v1/routes/cn-us-express", json=terms, token=ops, idempotency_key="r-2"
    )
    assert retired.status == 200

    # Then both versions were announced to catalog, with the contract's field names
    announced = await logistics.published("logistics.guaranteed_route_upserted")
    assert [(e["route_id"], e["origin"], e["destination"], e["active"]) for e in announced] == [
        ("cn-us-express", "CN", "US", True),
        ("cn-us-express", "CN", "US", False),
    ]
    assert announced[0]["price_per_unit"] == {"amount": 250, "currency": "USD"}
    # And any authenticated caller reads the table
    listed = await logistics.call("GET", "/v1/routes", token=tokens.buyer("b-1"))
    assert [r["active"] for r in (await listed.json())["routes"]] == [False]
    # And a second POST of the same route id is a conflict
    again = await logistics.call("POST", "/v1/routes", json=ROUTE, token=ops, idempotency_key="r-3")
    assert again.status == 409


async def test_landed_price_adds_route_shipping_to_the_goods_on_active_lanes_only(
    start_service: StartService, tokens: Tokens
) -> None:
    logistics = await start_logistics(start_service)
    ops = tokens.ops("ops-1", "ops:verification")
    await logistics.call("POST", "/v1/routes", json=ROUTE, token=ops, idempotency_key="r-1")
    catalog = tokens.mint("catalog", "service:catalog")

    # When catalog asks for 100 units at US$12.00 from CN to US
    params = {"origin": "CN", "destination": "US", "quantity": "100", "unit_price": "1200"}
    response = await logistics.call("GET", "/v1/routes/landed-price", params=params, token=catalog)

    # Then shipping is 100 × US$2.50 and the landed total includes it
    body = await response.json()
    assert response.status == 200, body
    assert body["shipping"] == {"amount": 25_000, "currency": "USD"}
    assert body["total"] == {"amount": 145_000, "currency": "USD"}
    assert body["route_id"] == "cn-us-express"
    # And a lane without a Guaranteed route has no landed price
    params["destination"] = "BR"
    missing = await logistics.call("GET", "/v1/routes/landed-price", params=params, token=catalog)
    assert missing.status == 404
    assert (await missing.json())["type"].endswith("/route-not-found")


async def test_a_route_serves_a_zone_of_its_destination_named_where_the_country_keeps_several(
    start_service: StartService, tokens: Tokens
) -> None:
    logistics = await start_logistics(start_service)
    ops = tokens.ops("ops-1", "ops:verification")
    lane = {key: value for key, value in ROUTE.items() if key != "destination_timezone"}

    # When ops open a lane to the United States without naming its zone, or with another country's
    to_us = await logistics.call("POST", "/v1/routes", json=lane, token=ops)
    to_london = await logistics.call(
        "POST", "/v1/routes", json=lane | {"destination_timezone": "Europe/London"}, token=ops
    )

    # Then each is refused naming the field to correct
    for refused in (to_us, to_london):
        assert refused.status == 422
        assert [error["field"] for error in (await refused.json())["errors"]] == ["destination_timezone"]

    # And a lane to Germany, which keeps one clock, takes Germany's zone without being told
    to_germany = lane | {"route_id": "cn-de-rail", "destination_country": "DE"}
    created = await logistics.call("POST", "/v1/routes", json=to_germany, token=ops)
    assert created.status == 201, await created.text()
    assert (await created.json())["destination_timezone"] == "Europe/Berlin"
