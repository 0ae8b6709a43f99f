"""Lists of shipments, inspections and returns: scoped by the token, filtered, sorted and paged by cursor."""

from __future__ import annotations

from datetime import timedelta

from shared.clock import ManualClock, TestClock
from tests.integration.logistics.listing import (
    INSPECTIONS,
    OPS_DESKS,
    OTHER_BUYER,
    OTHER_SUPPLIER,
    RETURNS,
    SHIPMENTS,
    agency_passes,
    book,
    fund,
    orders,
    read_list,
    return_requested,
    stored,
    utc,
    wall_clock_now,
)
from tests.integration.logistics.scenario import BUYER, NOW, SUPPLIER, dispatch, shipment_of, start_logistics
from tests.support.lists import read_page
from tests.support.services import EventInjector, StartService, Tokens


async def test_a_party_lists_only_its_own_shipments_even_when_filtering_by_another_partys_id(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, clock=ManualClock(NOW))
    await fund(inject, "o-1")
    await fund(inject, "o-2", funded_hours_ago=1)
    await fund(inject, "o-other", buyer=OTHER_BUYER, supplier=OTHER_SUPPLIER)
    await stored(logistics, "shipments", 3)

    # When each party lists shipments, some naming the other party as a filter
    mine = await read_list(logistics, SHIPMENTS, tokens.buyer(BUYER))
    prying_buyer = await read_list(logistics, SHIPMENTS, tokens.buyer(OTHER_BUYER), buyer_id=BUYER)
    prying_supplier = await read_list(
        logistics, SHIPMENTS, tokens.supplier(OTHER_SUPPLIER), supplier_id=SUPPLIER
    )
    not_my_customer = await read_list(logistics, SHIPMENTS, tokens.supplier(SUPPLIER), buyer_id=OTHER_BUYER)

    # Then each sees its own shipments, newest first, and naming another party narrows them to nothing
    assert orders(mine) == ["o-1", "o-2"]
    assert prying_buyer == prying_supplier == not_my_customer == []
    # And every ops desk sees them all, or one party's when naming it, while other roles are refused
    for desk in OPS_DESKS:
        every = await read_list(logistics, SHIPMENTS, tokens.ops("ops-1", desk))
        assert sorted(orders(every)) == ["o-1", "o-2", "o-other"]
    one_buyers = await read_list(logistics, SHIPMENTS, tokens.ops("f-1", "ops:finance"), buyer_id=BUYER)
    assert orders(one_buyers) == ["o-1", "o-2"]
    refused = await logistics.call("GET", SHIPMENTS, token=tokens.mint("escrow", "service:escrow"))
    assert refused.status == 403


async def test_the_suppliers_to_dispatch_queue_lists_undispatched_shipments_by_deadline_with_next_action(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, sandbox=True)
    now = wall_clock_now()
    await fund(inject, "o-late", funded_hours_ago=3, due_in_hours=10, base=now)
    await fund(inject, "o-soon", funded_hours_ago=1, due_in_hours=5, base=now)
    await fund(inject, "o-sent", funded_hours_ago=2, due_in_hours=1, base=now)
    await fund(inject, "o-mid", due_in_hours=7, base=now)
    await stored(logistics, "shipments", 4)
    sent = await shipment_of(logistics, tokens, "o-sent")
    assert await dispatch(logistics, tokens, sent["shipment_id"]) == 200
    supplier = tokens.supplier(SUPPLIER)

    # When the supplier reads its queue of shipments to dispatch, earliest deadline first
    queue = await read_list(
        logistics, SHIPMENTS, supplier, stage="awaiting_dispatch", sort="dispatch_due", limit="2"
    )

    # Then the undispatched ones come by deadline, each for the supplier to dispatch by its deadline
    assert orders(queue) == ["o-soon", "o-mid", "o-late"]
    assert queue[0]["next_action"] == {
        "actor": "supplier",
        "action": "dispatch",
        "due_at": utc(now + timedelta(hours=5)),
    }
    # And the queue narrows to deadlines before an instant, the dispatched one waits for its carrier
    due_soon = await read_list(
        logistics, SHIPMENTS, supplier, dispatch_due_before=utc(now + timedelta(hours=7)), sort="dispatch_due"
    )
    assert orders(due_soon) == ["o-sent", "o-soon"]
    moving = await read_list(logistics, SHIPMENTS, supplier, stage="in_transit")
    assert [(s["order_id"], s["next_action"]["actor"]) for s in moving] == [("o-sent", "carrier")]
    assert moving[0]["next_action"]["due_at"] == sent["promise"]["delivery_late_from"]
    # And the carrier's status filters too, while the default order is the newest funding first
    tracking = f"/sandbox/shipments/{sent['shipment_id']}/tracking"
    assert (await logistics.call("POST", tracking, json={"status": "in_transit"})).status == 200
    carried = await read_list(logistics, SHIPMENTS, supplier, status="in_transit")
    assert orders(carried) == ["o-sent"]
    newest = await read_list(logistics, SHIPMENTS, supplier)
    assert orders(newest) == ["o-mid", "o-soon", "o-sent", "o-late"]


async def test_following_every_page_yields_each_shipment_once_though_new_ones_arrive_between_pages(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, clock=ManualClock(NOW))
    for n, due in enumerate([30, 10, 50, 20, 40]):
        await fund(inject, f"o-{n}", funded_hours_ago=n, due_in_hours=due)
    await stored(logistics, "shipments", 5)
    buyer = tokens.buyer(BUYER)

    for sort in ("newest", "dispatch_due"):
        before = orders(await read_list(logistics, SHIPMENTS, buyer, sort=sort))
        # Given the first page read
        first = await read_page(logistics, SHIPMENTS, token=buyer, params={"sort": sort, "limit": "2"})
        assert len(first["items"]) == 2
        # When shipments arrive that sort before the cursor and after it
        await fund(inject, f"o-{sort}-first", funded_hours_ago=-1, due_in_hours=1)
        await fund(inject, f"o-{sort}-last", funded_hours_ago=99, due_in_hours=99)
        await stored(logistics, "shipments", len(before) + 2)
        # Then following the cursor yields every earlier shipment exactly once, in order
        rest = await read_list(logistics, SHIPMENTS, buyer, sort=sort, limit="2", cursor=first["next_cursor"])
        seen = orders(first["items"]) + orders(rest)
        assert [order for order in seen if order in before] == before
        assert f"o-{sort}-first" not in seen
        assert f"o-{sort}-last" in seen


async def test_a_list_refuses_over_100_items_a_garbled_cursor_and_a_cursor_of_another_caller_or_query(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    # Sandbox mode: its carrier sells the return labels
    logistics = await start_logistics(start_service, sandbox=True)
    for order_id in ("o-1", "o-2"):
        await fund(inject, order_id, base=wall_clock_now())
    await stored(logistics, "orders", 2)
    for order_id in ("o-1", "o-2"):
        await book(logistics, tokens, order_id)
        await return_requested(inject, order_id, at=NOW)
    await stored(logistics, "returns", 2)
    buyer = tokens.buyer(BUYER)

    for path in (SHIPMENTS, INSPECTIONS, RETURNS):
        # Given a cursor the buyer was given
        cursor = (await read_page(logistics, path, token=buyer, params={"limit": "1"}))["next_cursor"]
        assert cursor is not None
        # When the list is asked for too much, a garbled cursor, or the cursor under another caller or query
        asked = {
            "too_many": await logistics.call("GET", path, token=buyer, params={"limit": "101"}),
            "garbled": await logistics.call("GET", path, token=buyer, params={"cursor": "not-ours"}),
            "other_caller": await logistics.call(
                "GET", path, token=tokens.buyer(OTHER_BUYER), params={"cursor": cursor}
            ),
            "other_filters": await logistics.call(
                "GET", path, token=buyer, params={"cursor": cursor, "order_id": "o-1"}
            ),
        }
        # Then each is a 422 problem naming the parameter; the cursor still serves its own query
        for case, response in asked.items():
            assert response.status == 422, (path, case)
            assert response.content_type == "application/problem+json"
            fields = [error["field"] for error in (await response.json())["errors"]]
            assert fields == (["limit"] if case == "too_many" else ["cursor"]), (path, case)
        own = await logistics.call("GET", path, token=buyer, params={"cursor": cursor, "limit": "5"})
        assert own.status == 200


async def test_returns_are_listed_newest_first_to_their_own_parties_with_what_each_waits_for(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, sandbox=True)
    now = wall_clock_now()
    for order_id in ("o-1", "o-2", "o-3"):
        await fund(inject, order_id, base=now)
    await fund(inject, "o-other", buyer=OTHER_BUYER, supplier=OTHER_SUPPLIER, base=now)
    await stored(logistics, "orders", 4)
    first = await return_requested(inject, "o-1", at=NOW + timedelta(hours=1))
    await return_requested(inject, "o-2", at=NOW + timedelta(hours=2))
    await return_requested(
        inject, "o-other", at=NOW + timedelta(hours=3), buyer=OTHER_BUYER, supplier=OTHER_SUPPLIER
    )
    await stored(logistics, "returns", 3)
    assert (await logistics.call("POST", f"/sandbox/returns/{first}/scan", json={})).status == 200
    buyer = tokens.buyer(BUYER)

    # When the buyer lists its returns, a page at a time
    mine = await read_list(logistics, RETURNS, buyer, limit="1")

    # Then its own come newest first: the one to ship asks the buyer, the received one asks nothing
    assert orders(mine) == ["o-2", "o-1"]
    assert [r["next_action"] for r in mine] == [
        {"actor": "buyer", "action": "ship_return", "due_at": None},
        None,
    ]
    received = await read_list(logistics, RETURNS, buyer, status="received")
    assert orders(received) == ["o-1"]
    # And another supplier naming this one sees nothing, ops see all, other roles are refused
    prying = await read_list(logistics, RETURNS, tokens.supplier(OTHER_SUPPLIER), supplier_id=SUPPLIER)
    assert prying == []
    every = await read_list(logistics, RETURNS, tokens.ops("m-1", "ops:mediator"))
    assert orders(every) == ["o-other", "o-2", "o-1"]
    assert (await logistics.call("GET", RETURNS, token=tokens.mint("d", "service:disputes"))).status == 403

    # When a return is issued between two page reads, the earlier ones are each read once
    page = await read_page(logistics, RETURNS, token=buyer, params={"limit": "1"})
    await return_requested(inject, "o-3", at=NOW + timedelta(hours=4))
    await stored(logistics, "returns", 4)
    rest = await read_list(logistics, RETURNS, buyer, limit="1", cursor=page["next_cursor"])
    assert orders(page["items"]) + orders(rest) == ["o-2", "o-1"]


async def test_inspections_awaiting_a_report_come_longest_waiting_first_and_a_passed_one_awaits_dispatch(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, sandbox=True)
    clock, now = logistics.platform.clock, wall_clock_now()
    assert isinstance(clock, TestClock)
    for order_id in ("o-1", "o-2", "o-3", "o-4"):
        await fund(inject, order_id, due_in_hours=72, base=now)
    await fund(inject, "o-other", buyer=OTHER_BUYER, supplier=OTHER_SUPPLIER, base=now)
    await stored(logistics, "orders", 5)
    for order_id in ("o-1", "o-2", "o-3"):
        booked = await book(logistics, tokens, order_id)
        clock.advance(timedelta(seconds=1))
    await book(logistics, tokens, "o-other", buyer=OTHER_BUYER)
    await agency_passes(logistics, booked)
    supplier = tokens.supplier(SUPPLIER)

    # When the supplier lists the inspections still awaiting a report, longest waiting first
    backlog = await read_list(logistics, INSPECTIONS, supplier, status="booked", sort="booked", limit="1")

    # Then each waits for the agency's report before the dispatch deadline; the passed one for dispatch
    deadline = utc(now + timedelta(hours=72))
    assert orders(backlog) == ["o-1", "o-2"]
    assert backlog[0]["next_action"] == {
        "actor": "inspection_agency",
        "action": "report_inspection",
        "due_at": deadline,
    }
    passed = await read_list(logistics, INSPECTIONS, supplier, status="passed")
    assert [(i["order_id"], i["next_action"]) for i in passed] == [
        ("o-3", {"actor": "supplier", "action": "dispatch", "due_at": deadline})
    ]
    # And newest first by default; another buyer naming this one sees nothing, ops all, others are refused
    newest = await read_list(logistics, INSPECTIONS, tokens.buyer(BUYER))
    assert orders(newest) == ["o-3", "o-2", "o-1"]
    prying = await read_list(logistics, INSPECTIONS, tokens.buyer(OTHER_BUYER), buyer_id=BUYER)
    assert prying == []
    every = await read_list(logistics, INSPECTIONS, tokens.ops("v-1", "ops:verification"))
    assert len(every) == 4
    assert (await logistics.call("GET", INSPECTIONS, token=tokens.mint("e", "service:escrow"))).status == 403

    # When an inspection is booked between two page reads of the backlog, the earlier ones are read once
    page = await read_page(
        logistics, INSPECTIONS, token=supplier, params={"status": "booked", "sort": "booked", "limit": "1"}
    )
    await book(logistics, tokens, "o-4")
    rest = await read_list(
        logistics,
        INSPECTIONS,
        supplier,
        status="booked",
        sort="booked",
        limit="1",
        cursor=page["next_cursor"],
    )
    assert orders(page["items"]) + orders(rest) == ["o-1", "o-2", "o-4"]
