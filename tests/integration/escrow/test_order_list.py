"""`GET /v1/orders`: each party finds its own orders and whose move it is; finance sees every order."""

from __future__ import annotations

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
