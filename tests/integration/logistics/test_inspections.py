"""Third-party inspection: the buyer books, the agency's signed result passes or blocks dispatch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.integration.logistics.scenario import BUYER, dispatch, funded, shipment_of, start_logistics
from tests.support.services import EventInjector, RunningService, StartService, Tokens

CRITERIA = [
    {"name": "defect_rate", "unit": "%", "max_value": "2.5"},
    {"name": "quantity", "unit": "pcs", "min_value": "100"},
]


async def _book(logistics: RunningService, tokens: Tokens, buyer: str = BUYER) -> Any:
    body = {"order_id": "o-1", "agency": "sgs", "criteria": CRITERIA}
    return await logistics.call("POST", "/v1/inspections", json=body, token=tokens.buyer(buyer))


async def _agency_reports(logistics: RunningService, inspection_id: str, **measurements: str) -> None:
    control = {"measurements": measurements, "report_ref": "SGS-77"}
    response = await logistics.call("POST", f"/sandbox/inspections/{inspection_id}/result", json=control)
    assert response.status == 200, await response.text()
    assert (await response.json())["statuses"] == [200]


async def test_failed_inspection_blocks_dispatch_and_reports_to_disputes(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, sandbox=True)
    await inject.publish(funded("o-1", at=datetime.now(UTC) - timedelta(hours=1)))
    shipment_id = (await shipment_of(logistics, tokens, "o-1"))["shipment_id"]

    # When another buyer tries to book, the order is not theirs
    assert (await _book(logistics, tokens, buyer="buyer-2")).status == 404
    # When the buyer books SGS, dispatch waits for the result
    booked = await _book(logistics, tokens)
    assert booked.status == 201, await booked.text()
    inspection_id = (await booked.json())["inspection_id"]
    assert await dispatch(logistics, tokens, shipment_id, key="d-1") == 409

    # When SGS reports a defect rate above the contract's limit
    await _agency_reports(logistics, inspection_id, defect_rate="4.0", quantity="100")

    # Then the inspection failed, disputes gets the report, and dispatch stays blocked
    completed = await logistics.published("logistics.inspection_completed")
    assert [(e["passed"], e["report_ref"]) for e in completed] == [(False, "SGS-77")]
    assert [r["passed"] for r in completed[0]["results"]] == [False, True]
    blocked = await logistics.call(
        "POST",
        f"/v1/shipments/{shipment_id}/dispatch",
        json={"carrier": "ups", "tracking_number": "1Z1"},
        token=tokens.supplier("supplier-1"),
    )
    assert blocked.status == 409
    assert (await blocked.json())["type"].endswith("/dispatch-blocked-by-failed-inspection")


async def test_passed_inspection_releases_dispatch_and_unsigned_results_are_refused(
    start_service: StartService, tokens: Tokens, inject: EventInjector
) -> None:
    logistics = await start_logistics(start_service, sandbox=True)
    await inject.publish(funded("o-1", at=datetime.now(UTC) - timedelta(hours=1)))
    shipment_id = (await shipment_of(logistics, tokens, "o-1"))["shipment_id"]
    inspection_id = (await (await _book(logistics, tokens)).json())["inspection_id"]

    # When a forged, unsigned result arrives, it is refused and changes nothing
    forged = {
        "inspection_id": inspection_id,
        "report_ref": "fake",
        "inspected_at": datetime.now(UTC).isoformat(),
        "measurements": {"defect_rate": "0", "quantity": "100"},
    }
    refused = await logistics.call("POST", "/v1/inspection-agencies/sgs/webhooks", json=forged)
    assert refused.status == 401
    assert await logistics.published("logistics.inspection_completed") == []

    # When SGS reports every criterion met
    await _agency_reports(logistics, inspection_id, defect_rate="1.0", quantity="120")

    # Then the supplier may dispatch
    assert await dispatch(logistics, tokens, shipment_id) == 200
