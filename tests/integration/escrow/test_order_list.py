"""`GET /v1/orders`: each party finds its own orders and whose move it is; finance sees every order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.support.lists import read_all, read_page

from .conftest import StartEscrow
from .support import Escrow

FINANCE = ("fin-1", "ops:finance")


async def _orders(escrow: Escrow, token: str, **params: str) -> list[dict[str, Any]]:
    return await read_all(escrow.service, "/v1/orders", token=token, params=params, key="order_id")


async def test_a_party_lists_only_its_own_orders_even_when_filtering_by_another_party(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    # Given orders of two buyers, from two suppliers
    b1 = {await escrow.place("b-1", supplier_id="s-1"), await escrow.place("b-1", supplier_id="s-2")}
    b2 = {await escrow.place("b-2", supplier_id="s-1")}

    # Then each buyer and each supplier sees its own orders, and finance sees them all
    tokens = escrow.tokens
    assert {o["order_id"] for o in await _orders(escrow, tokens.buyer("b-1"))} == b1
    assert {o["order_id"] for o in await _orders(escrow, tokens.buyer("b-2"))} == b2
    s1 = await _orders(escrow, tokens.supplier("s-1"))
    assert {o["supplier_id"] for o in s1} == {"s-1"}
    assert len(s1) == 2
    assert {o["order_id"] for o in await _orders(escrow, tokens.ops(*FINANCE))} == b1 | b2
    # And naming another party in a filter narrows the caller's own orders, never widens them
    assert await _orders(escrow, tokens.buyer("b-2"), buyer_id="b-1") == []
    assert await _orders(escrow, tokens.supplier("s-2"), supplier_id="s-1") == []
    assert len(await _orders(escrow, tokens.ops(*FINANCE), buyer_id="b-1")) == 2
    # And a desk without orders is refused
    mediator = await escrow.service.call("GET", "/v1/orders", token=tokens.ops("m-1", "ops:mediator"))
    assert mediator.status == 403


async def test_orders_page_by_cursor_and_orders_placed_meanwhile_never_skip_or_repeat_one(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    buyer = escrow.tokens.buyer("b-1")
    # Given five orders placed at the same instant (the order id breaks the tie)
    before = [await escrow.place("b-1") for _ in range(5)]

    # When the buyer reads them two at a time while four more orders are placed between the pages
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = await read_page(escrow.service, "/v1/orders", token=buyer, params=params)
        assert len(page["items"]) <= 2
        seen += [order["order_id"] for order in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        if len(seen) < 8:
            await escrow.place("b-1")

    # Then every order that existed when paging began is seen exactly once
    assert len(seen) == len(set(seen))
    assert set(before) <= set(seen)


async def test_the_status_filter_and_next_actions_show_who_must_act_by_when(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    # Given one order awaiting payment and one funded
    unpaid = await escrow.place("b-1")
    funded = await escrow.place("b-1")
    await escrow.pay(funded)
    promise = (await escrow.order(funded))["promise"]

    # When the supplier opens its "to ship" tab
    to_ship = await _orders(escrow, escrow.tokens.supplier("s-1"), status="funded")

    # Then only the funded order is there, due for dispatch at the promise's dispatch deadline
    assert [o["order_id"] for o in to_ship] == [funded]
    assert to_ship[0]["next_action"] == {
        "actor": "supplier",
        "action": "dispatch",
        "due_at": promise["dispatch_deadline"],
    }
    # And the buyer's unpaid order asks the buyer to pay
    waiting = await _orders(escrow, escrow.tokens.buyer("b-1"), status="awaiting_payment")
    assert [(o["order_id"], o["next_action"]["action"]) for o in waiting] == [(unpaid, "pay")]


async def test_a_cursor_serves_only_the_query_and_caller_it_was_issued_for(start_escrow: StartEscrow) -> None:
    escrow = await start_escrow()
    for _ in range(3):
        await escrow.place("b-1")
    page = await read_page(
        escrow.service, "/v1/orders", token=escrow.tokens.buyer("b-1"), params={"limit": "1"}
    )
    cursor = page["next_cursor"]
    assert cursor is not None

    async def status_of(token: str, **params: str) -> int:
        response = await escrow.service.call("GET", "/v1/orders", token=token, params=params)
        return response.status

    # A cursor used by another caller, with other filters, garbled, or a page above the maximum: 422
    assert await status_of(escrow.tokens.buyer("b-2"), cursor=cursor, limit="1") == 422
    assert await status_of(escrow.tokens.buyer("b-1"), cursor=cursor, currency="EUR") == 422
    assert await status_of(escrow.tokens.buyer("b-1"), cursor="not-a-cursor") == 422
    assert await status_of(escrow.tokens.buyer("b-1"), limit="101") == 422
    # And the cursor still serves its own query
    assert await status_of(escrow.tokens.buyer("b-1"), cursor=cursor, limit="1") == 200


async def test_finance_sees_what_escrow_holds_releases_and_refunds_per_currency(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    # Given a USD order paid and held, and a KWD (three-decimal) order paid and then released
    usd = await escrow.place("b-1")
    await escrow.pay(usd)
    kwd = await escrow.place("b-1", currency="KWD")
    await escrow.pay(kwd)
    await escrow.ship_and_deliver(kwd, delivered_after=timedelta(days=1))
    confirm = await escrow.service.call(
        "POST", f"/v1/orders/{kwd}/confirm-receipt", token=escrow.tokens.buyer("b-1")
    )
    assert confirm.status == 200, await confirm.text()
    released = (await escrow.order(kwd))["release"]

    # When finance reads the balances
    response = await escrow.service.call("GET", "/v1/ledger/balances", token=escrow.tokens.ops(*FINANCE))
    assert response.status == 200, await response.text()
    balances = {row["currency"]: row for row in (await response.json())["currencies"]}

    # Then USD is held, and KWD is released with the platform's fee kept, to the minor unit
    paid_usd = (await escrow.order(usd))["paid"]["amount"]
    assert (balances["USD"]["held"], balances["USD"]["released"]) == (paid_usd, 0)
    assert balances["KWD"]["held"] == 0
    assert balances["KWD"]["released"] == released["amount"]["amount"]
    assert balances["KWD"]["fees"] == released["platform_fee"]["amount"]
    # And a buyer may not read them
    refused = await escrow.service.call("GET", "/v1/ledger/balances", token=escrow.tokens.buyer("b-1"))
    assert refused.status == 403


async def test_an_orders_ledger_entries_are_shown_to_its_parties_and_finance_only(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place("b-1")
    await escrow.pay(order_id)
    path = f"/v1/orders/{order_id}/ledger-entries"

    # The buyer, the supplier and finance see the funding entry
    for token in (escrow.tokens.buyer("b-1"), escrow.tokens.supplier("s-1"), escrow.tokens.ops(*FINANCE)):
        entries = await read_all(escrow.service, path, token=token, key="entry_id")
        assert [entry["kind"] for entry in entries] == ["funding"]
    # Another buyer does not learn the order exists
    other = await escrow.service.call("GET", path, token=escrow.tokens.buyer("b-2"))
    assert other.status == 404
