"""The order timeline joins every service's events about an order, in time order, for whoever may see it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from deploy.local.polling import eventually
from shared.messaging.envelope import Event

from .conftest import StartEscrow


class OrderPlacedFact(Event):
    TYPE: ClassVar[str] = "escrow.order_placed"
    order_id: str
    buyer_id: str
    supplier_id: str


class InspectionBookedFact(Event):
    TYPE: ClassVar[str] = "logistics.inspection_booked"
    order_id: str


class MessageFlaggedFact(Event):
    TYPE: ClassVar[str] = "disputes.message_flagged"
    order_id: str
    reason: str


async def test_each_party_sees_the_orders_history_across_services_in_time_order(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    inject, tokens, platform = escrow.inject, escrow.tokens, escrow.service.platform
    t0 = escrow.clock.now()
    # Given events about one order from three services, arriving out of order: escrow's own recorded as
    # it is emitted, the others' from the broker
    await inject.publish(
        MessageFlaggedFact(order_id="o-t", reason="pay outside"), occurred_at=t0 + timedelta(hours=2)
    )
    await inject.publish(InspectionBookedFact(order_id="o-t"), occurred_at=t0 + timedelta(hours=1))
    placed = OrderPlacedFact(order_id="o-t", buyer_id="b-t", supplier_id="s-t")
    await platform.transaction(lambda session: platform.record(session, placed))

    async def timeline(token: str, expect: int = 200) -> Any:
        response = await escrow.service.call("GET", "/v1/orders/o-t/timeline", token=token)
        assert response.status == expect
        return await response.json()

    async def complete() -> bool:
        response = await escrow.service.call("GET", "/v1/orders/o-t/timeline", token=tokens.buyer("b-t"))
        return response.status == 200 and len((await response.json())["entries"]) == 3

    await eventually(complete)

    # Then the buyer sees all of it in time order, with service, event, time and actor
    entries = (await timeline(tokens.buyer("b-t")))["entries"]
    assert [(e["service"], e["event"], e["actor"]) for e in entries] == [
        ("escrow", "order_placed", "buyer"),
        ("logistics", "inspection_booked", "buyer"),
        ("disputes", "message_flagged", "system"),
    ]
    # And the supplier sees it without the warning addressed to the buyer; ops see everything
    supplier_view = (await timeline(tokens.supplier("s-t")))["entries"]
    assert [e["event"] for e in supplier_view] == ["order_placed", "inspection_booked"]
    assert len((await timeline(tokens.ops("ops-1", "ops:mediator")))["entries"]) == 3
    # And anyone else is told the order does not exist
    await timeline(tokens.buyer("b-other"), expect=404)
    await timeline(tokens.supplier("s-other"), expect=404)


async def test_escrows_own_event_is_on_the_timeline_once_the_transaction_emitting_it_commits(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    platform = escrow.service.platform
    placed = OrderPlacedFact(order_id="o-own", buyer_id="b-own", supplier_id="s-own")

    # When escrow emits one of its own events
    await platform.transaction(lambda session: platform.record(session, placed))

    # Then its entry is there as soon as the emitting transaction has committed, with no broker hop
    response = await escrow.service.call(
        "GET", "/v1/orders/o-own/timeline", token=escrow.tokens.buyer("b-own")
    )
    assert response.status == 200
    assert [entry["event"] for entry in (await response.json())["entries"]] == ["order_placed"]
