"""Orders and contracts: placed only from a valid signed quote, seen by their parties, amended by both."""

from __future__ import annotations

from datetime import timedelta

from shared.security.keys import ensure_dev_keys

from .conftest import StartEscrow
from .support import order_body, signed_quote

DOCUMENT = {"name": "purchase-agreement.pdf", "sha256": "ab" * 32}


async def test_an_order_is_placed_from_a_signed_quote_with_its_contract_snapshot(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    # Given a quote catalog signed for buyer b-1
    token = signed_quote(escrow.quote_keys, buyer_id="b-1", now=escrow.clock.now(), quantity=120)

    # When the buyer orders it with an uploaded agreement
    response = await escrow.service.call(
        "POST",
        "/v1/orders",
        json=order_body(token, documents=[DOCUMENT], inspection_required=True, handling_days=5),
        token=escrow.tokens.buyer("b-1", "enterprise"),
        idempotency_key="place-1",
    )

    # Then the order awaits payment, with version 1 of the contract locking the quoted terms
    assert response.status == 201, await response.text()
    order = await response.json()
    terms = order["contract"]["terms"]
    assert (order["status"], order["kind"], order["buyer_tier"]) == (
        "awaiting_payment",
        "standard",
        "enterprise",
    )
    assert order["contract"]["version"] == 1
    assert terms["unit_price"] == {"amount": 1_999, "currency": "USD"}
    assert (terms["quantity"], terms["destination_country"], terms["origin_country"]) == (120, "US", "CN")
    assert terms["documents"] == [DOCUMENT]
    assert terms["product_specs"] == {"title": "Steel brackets", "category": "hardware"}
    assert terms["handling_time"] == "P5D"
    placed = await escrow.service.published("escrow.order_placed")
    assert [event["order_id"] for event in placed] == [order["order_id"]]


async def test_a_sample_quote_places_a_sample_order(start_escrow: StartEscrow) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place(kind="sample", quantity=2, tier_min_qty=1)
    assert (await escrow.order(order_id))["kind"] == "sample"


async def test_a_guaranteed_quote_places_a_guaranteed_order_on_the_route_promise(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place(
        guaranteed_dispatch_within=timedelta(hours=72),
        route_id="r-cn-us",
        transit_days=9,
        destination_timezone="America/Los_Angeles",
    )

    order = await escrow.order(order_id)
    assert order["kind"] == "guaranteed"
    assert (order["contract"]["terms"]["handling_time"], order["contract"]["terms"]["transit_days"]) == (
        "P3D",
        9,
    )
    assert order["contract"]["terms"]["destination_timezone"] == "America/Los_Angeles"
    assert order["contract"]["terms"]["route_id"] == "r-cn-us"


async def test_a_forged_expired_or_someone_elses_quote_places_no_order(
    start_escrow: StartEscrow, tmp_path: object
) -> None:
    escrow = await start_escrow()
    now = escrow.clock.now()
    forger = ensure_dev_keys(tmp_path / "forger")  # type: ignore[operator]
    attempts = {
        "forged": signed_quote(forger, buyer_id="b-1", now=now),
        "another buyer's": signed_quote(escrow.quote_keys, buyer_id="b-2", now=now),
        "not trade assurance": signed_quote(
            escrow.quote_keys, buyer_id="b-1", now=now, trade_assurance=False
        ),
        "expired (test clock)": signed_quote(
            escrow.quote_keys, buyer_id="b-1", now=now, expires_at=now + timedelta(minutes=1)
        ),
    }
    escrow.clock.advance(timedelta(minutes=2))

    for name, token in attempts.items():
        response = await escrow.service.call(
            "POST", "/v1/orders", json=order_body(token), token=escrow.tokens.buyer("b-1")
        )
        assert response.status == 422, name
        assert (await response.json())["type"].endswith("/quote-not-usable"), name

    assert await escrow.service.published("escrow.order_placed") == []


async def test_only_the_buyer_its_supplier_and_ops_see_an_order(start_escrow: StartEscrow) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place("b-1")
    tokens = escrow.tokens

    async def status(token: str) -> int:
        return (await escrow.service.call("GET", f"/v1/orders/{order_id}", token=token)).status

    assert await status(tokens.buyer("b-1")) == 200
    assert await status(tokens.supplier("s-1")) == 200
    assert await status(tokens.ops("m-1", "ops:mediator")) == 200
    assert await status(tokens.buyer("b-2")) == 404
    assert await status(tokens.supplier("s-2")) == 404
    assert await status(tokens.mint("svc", "service:catalog")) == 403


async def test_an_amendment_becomes_the_next_contract_version_only_when_the_other_party_accepts(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place("b-1")
    supplier, buyer = escrow.tokens.supplier("s-1"), escrow.tokens.buyer("b-1")
    path = f"/v1/orders/{order_id}/amendments"

    # Given the supplier proposes a larger quantity
    proposed = await escrow.service.call("POST", path, json={"quantity": 150}, token=supplier)
    assert proposed.status == 201, await proposed.text()
    assert (await proposed.json())["contract"]["terms"]["quantity"] == 100

    # When the supplier tries to accept its own proposal, it is refused
    own = await escrow.service.call("POST", f"{path}/2/accept", token=supplier)
    assert own.status == 409

    # When the buyer accepts
    accepted = await escrow.service.call("POST", f"{path}/2/accept", token=buyer)

    # Then version 2 holds the new terms and version 1 is kept unchanged
    order = await accepted.json()
    assert [c["terms"]["quantity"] for c in order["contract_history"]] == [100, 150]
    assert order["contract"]["version"] == 2
    assert order["pending_amendment"] is None
    assert (
        await escrow.service.call("POST", path, json={"quantity": 5}, token=escrow.tokens.buyer("b-2"))
    ).status == 404


async def test_one_quote_places_one_order_even_when_the_buyer_sends_it_again(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    quote = signed_quote(escrow.quote_keys, buyer_id="b-1", now=escrow.clock.now())

    # When the buyer places the order, and again with the same quote under a new key (the first answer
    # was lost with a crashed server and its idempotency record never written)
    placed = []
    for key in ("o-1", "o-2"):
        response = await escrow.service.call(
            "POST",
            "/v1/orders",
            json=order_body(quote),
            token=escrow.tokens.buyer("b-1"),
            idempotency_key=key,
        )
        assert response.status == 201, await response.text()
        placed.append((await response.json())["order_id"])

    # Then there is one order, announced once
    assert placed[0] == placed[1]
    assert len(await escrow.service.published("escrow.order_placed")) == 1


async def test_asking_for_a_payment_after_it_went_through_returns_the_intent_that_paid(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place()
    intent = await escrow.open_intent(order_id)
    settled = await escrow.service.call("POST", f"/sandbox/payments/{intent}/succeed", json={})
    assert settled.status == 200
    assert (await escrow.order(order_id))["status"] == "funded"

    # When the buyer asks for the payment again (its first answer was lost)
    again = await escrow.open_intent(order_id)

    # Then it is the intent that paid, and nothing more is charged
    assert again == intent
    assert (await escrow.order(order_id))["paid"] == {"amount": 214_900, "currency": "USD"}


async def test_an_order_to_a_country_of_several_clocks_is_refused_until_it_names_its_zone(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    # Given a quote to the United States, which keep several clocks
    token = signed_quote(escrow.quote_keys, buyer_id="b-1", now=escrow.clock.now())

    # When the buyer orders it without naming a zone, then the problem names the field to fill in
    refused = await escrow.service.call(
        "POST", "/v1/orders", json={"quote": token}, token=escrow.tokens.buyer("b-1")
    )
    assert refused.status == 422
    assert [error["field"] for error in (await refused.json())["errors"]] == ["destination_timezone"]

    # And naming Los Angeles, the contract shows the zone its promise ends in
    placed = await escrow.service.call(
        "POST",
        "/v1/orders",
        json={"quote": token, "destination_timezone": "America/Los_Angeles"},
        token=escrow.tokens.buyer("b-1"),
    )
    assert placed.status == 201, await placed.text()
    assert (await placed.json())["contract"]["terms"]["destination_timezone"] == "America/Los_Angeles"
