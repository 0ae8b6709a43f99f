"""Carrier tracking: signed webhooks from the sandbox carrier, converging despite repeats and late events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from deploy.local.polling import eventually
from tests.integration.logistics.scenario import dispatch, funded, published, shipment_of, start_logistics
from tests.support.services import EventInjector, RunningService, StartService, Tokens


async def _dispatched(
    logistics: RunningService, tokens: Tokens, inject: EventInjector, order_id: str, tracking: str
) -> str:
    await inject.publish(funded(order_id, at=datetime.now(UTC) - timedelta(hours=1)))
    shipment_id: str = (await shipment_of(logistics, tokens, order_id))["shipment_id"]
    assert await dispatch(logistics, tokens, shipment_id, tracking=tracking, key=f"d-{order_id}") == 200
    return shipment_id


async def _carrier_reports(logistics: RunningService, shipment_id: str, **control: object) -> list[int]:
    response = await logistics.call("POST", f"/sandbox/shipments/{shipment_id}/tracking", json=control)
    assert response.status == 200, await response.text()
    statuses: list[int] = (await response.json())["statuses"]
    return statuses


async def test_duplicate_and_out_of_order_carrier_events_give_the_right_final_state(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, sandbox=True)
    shipment_id = await _dispatched(logistics, tokens, inject, "o-1", "1Z001")
    start = datetime.now(UTC)

    # When the carrier reports delivery twice, and the earlier in-transit scan only afterwards
    delivered_at = (start + timedelta(minutes=30)).isoformat()
    in_transit_at = (start + timedelta(minutes=10)).isoformat()
    assert await _carrier_reports(
        logistics, shipment_id, status="DELIVERED", occurred_at=delivered_at, deliveries=2
    ) == [200, 200]
    assert await _carrier_reports(logistics, shipment_id, status="In transit", occurred_at=in_transit_at) == [
        200
    ]

    # Then the shipment is delivered, with both distinct events in its history, announced once
    shipment = await shipment_of(logistics, tokens, "o-1")
    assert shipment["status"] == "delivered"
    assert [e["status"] for e in shipment["tracking_events"]] == ["in_transit", "delivered"]
    delivered = await logistics.published("logistics.shipment_delivered")
    assert [(e["shipment_id"], e["on_time"]) for e in delivered] == [(shipment_id, True)]


async def test_unsigned_carrier_webhooks_are_rejected_and_change_nothing(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, sandbox=True)
    shipment_id = await _dispatched(logistics, tokens, inject, "o-1", "1Z002")
    forged = {
        "event_id": "e-1",
        "tracking_number": "1Z002",
        "status": "lost",
        "occurred_at": datetime.now(UTC).isoformat(),
    }

    # When someone posts a tracking event without a signature, or with a made-up one
    unsigned = await logistics.call("POST", "/v1/carriers/ups/webhooks", json=forged)
    bad = await logistics.call(
        "POST", "/v1/carriers/ups/webhooks", json=forged, headers={"Tradeguard-Signature": "t=1,v1=00"}
    )

    # Then both are refused as problems, and the shipment is untouched
    assert (unsigned.status, unsigned.content_type) == (401, "application/problem+json")
    assert bad.status == 401
    shipment = await shipment_of(logistics, tokens, "o-1")
    assert (shipment["status"], shipment["tracking_events"]) == ("pending", [])
    assert await logistics.published("logistics.shipment_lost") == []
    assert shipment["shipment_id"] == shipment_id


async def test_lost_or_damaged_shipments_open_a_platform_case_once(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, sandbox=True)
    lost_id = await _dispatched(logistics, tokens, inject, "o-lost", "1Z003")
    damaged_id = await _dispatched(logistics, tokens, inject, "o-damaged", "1Z004")

    # When the carrier reports one parcel lost (twice) and the other damaged
    await _carrier_reports(logistics, lost_id, status="lost", event_id="loss-1", deliveries=2)
    await _carrier_reports(logistics, damaged_id, status="damaged")

    # Then each is announced once, naming its carrier and tracking number
    await eventually(published(logistics, "logistics.shipment_lost", 1))
    lost = await logistics.published("logistics.shipment_lost")
    damaged = await logistics.published("logistics.shipment_damaged")
    assert [(e["order_id"], e["tracking_number"]) for e in lost] == [("o-lost", "1Z003")]
    assert [(e["order_id"], e["carrier"]) for e in damaged] == [("o-damaged", "ups")]
