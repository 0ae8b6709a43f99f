"""Shipments open from escrow's funding with an immutable promise; only the order's supplier dispatches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from deploy.local.polling import eventually
from shared.clock import ManualClock
from shared.contracts.escrow import BuyerTier, OrderCancelled
from shared.money import Money
from tests.integration.logistics.scenario import (
    BUYER,
    NOW,
    ROUTE,
    SUPPLIER,
    dispatch,
    funded,
    handled,
    shipment_of,
    start_logistics,
)
from tests.support.services import EventInjector, StartService, Tokens


async def test_funded_order_opens_one_shipment_with_its_promise_however_often_it_is_delivered(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, clock=ManualClock(NOW))
    ops = tokens.ops("ops-1", "ops:verification")
    await logistics.call("POST", "/v1/routes", json=ROUTE, token=ops, idempotency_key="r-1")

    # When escrow's order_funded of a Guaranteed order, with the promise escrow fixed, arrives twice
    event = funded(
        "o-1",
        guaranteed=True,
        route_id="cn-us-express",
        handling_time=timedelta(hours=96),
        dispatch_deadline=NOW + timedelta(hours=96),
        promised_delivery_date=date(2026, 3, 11),
        delivery_late_from=datetime(2026, 3, 12, 4, 0, tzinfo=UTC),
    )
    await inject.publish(event)
    await inject.publish(event)
    shipment = await shipment_of(logistics, tokens, "o-1")

    # Then one shipment exists, on the route, with escrow's promise
    assert shipment["route_id"] == "cn-us-express"
    assert shipment["promise"]["dispatch_deadline"] == "2026-03-06T10:00:00.000Z"
    assert shipment["promise"]["promised_delivery_date"] == "2026-03-11"
    assert shipment["promise"]["delivery_late_from"] == "2026-03-12T04:00:00.000Z"
    assert shipment["promise"]["destination_timezone"] == "America/New_York"
    await eventually(handled(logistics, "escrow-orders", 2))
    assert len(await logistics.published("logistics.shipment_created")) == 1
    assert await logistics.platform.db["shipments"].count_documents({}) == 1


async def test_a_shipment_is_visible_to_its_parties_and_ops_and_absent_for_others(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service)
    await inject.publish(funded("o-1"))
    shipment = await shipment_of(logistics, tokens, "o-1")
    path = f"/v1/shipments/{shipment['shipment_id']}"

    # Then the supplier and ops read it, another buyer gets 404 as if it did not exist
    assert (await logistics.call("GET", path, token=tokens.supplier(SUPPLIER))).status == 200
    assert (await logistics.call("GET", path, token=tokens.ops("m-1", "ops:mediator"))).status == 200
    assert (await logistics.call("GET", path, token=tokens.buyer("buyer-2"))).status == 404
    other = await logistics.call("GET", "/v1/orders/o-1/shipment", token=tokens.supplier("supplier-2"))
    assert other.status == 404


async def test_only_the_orders_supplier_dispatches_and_only_once(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, clock=ManualClock(NOW + timedelta(hours=24)))
    await inject.publish(funded("o-1"))
    shipment_id = (await shipment_of(logistics, tokens, "o-1"))["shipment_id"]
    path = f"/v1/shipments/{shipment_id}/dispatch"
    body = {"carrier": "ups", "tracking_number": "1Z999"}

    # When a buyer tries, it is the wrong role; another supplier does not see the shipment
    assert (await logistics.call("POST", path, json=body, token=tokens.buyer(BUYER))).status == 403
    assert (await logistics.call("POST", path, json=body, token=tokens.supplier("s-2"))).status == 404

    # When the order's supplier dispatches (and repeats the request with the same key)
    assert await dispatch(logistics, tokens, shipment_id) == 200
    assert await dispatch(logistics, tokens, shipment_id) == 200

    # Then one on-time dispatch is announced; the same hand-over sent afresh (its first answer lost with a
    # crashed server) changes nothing, and another hand-over is a conflict
    assert await dispatch(logistics, tokens, shipment_id, key="d-2") == 200
    dispatched = await logistics.published("logistics.shipment_dispatched")
    assert [(e["tracking_number"], e["on_time"]) for e in dispatched] == [("1Z999", True)]
    assert await dispatch(logistics, tokens, shipment_id, tracking="1Z000", key="d-3") == 409


async def test_an_order_cancelled_before_dispatch_cancels_its_shipment_and_announces_it(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, clock=ManualClock(NOW))
    await inject.publish(funded("o-1"))
    shipment_id = (await shipment_of(logistics, tokens, "o-1"))["shipment_id"]

    # When escrow cancels the order
    await inject.publish(
        OrderCancelled(
            order_id="o-1",
            buyer_id=BUYER,
            supplier_id=SUPPLIER,
            buyer_tier=BuyerTier.STANDARD,
            reason="buyer_request",
            refunded=Money(amount=120_000, currency="USD"),
            cancelled_at=NOW + timedelta(hours=1),
        )
    )

    # Then the shipment is cancelled and can no longer be dispatched
    async def cancelled() -> bool:
        shipment = await logistics.platform.db["shipments"].find_one({"order_id": "o-1"})
        return shipment is not None and shipment["cancelled_at"] is not None

    await eventually(cancelled)
    assert await dispatch(logistics, tokens, shipment_id) == 409
    announced = await logistics.published("logistics.shipment_cancelled")
    assert [(e["shipment_id"], e["order_id"]) for e in announced] == [(shipment_id, "o-1")]
