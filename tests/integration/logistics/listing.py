"""Givens of the list tests: shipments, inspections and returns of several parties, as a client reads them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from deploy.local.polling import eventually
from shared.clock import rfc3339_millis
from shared.contracts.disputes import ReturnRequested
from tests.integration.logistics.scenario import BUYER, NOW, SUPPLIER, funded
from tests.support.lists import read_all
from tests.support.services import EventInjector, RunningService, Tokens

SHIPMENTS, INSPECTIONS, RETURNS = "/v1/shipments", "/v1/inspections", "/v1/returns"
OTHER_BUYER, OTHER_SUPPLIER = "buyer-2", "supplier-2"
OPS_DESKS = ("ops:verification", "ops:mediator", "ops:finance")
CRITERIA = [{"name": "defect_rate", "unit": "%", "max_value": "2.5"}]


def wall_clock_now() -> datetime:
    """Now to the second, for sandbox services, whose test clock runs from the wall clock."""
    return datetime.now(UTC).replace(microsecond=0)


def utc(moment: datetime) -> str:
    """The wire form of an instant, as the API writes it."""
    return rfc3339_millis(moment)


def orders(items: list[dict[str, Any]]) -> list[str]:
    """Every list item names its order: the tests give each order one item per list."""
    return [item["order_id"] for item in items]


async def read_list(service: RunningService, path: str, token: str, **params: str) -> list[dict[str, Any]]:
    """Every item of a list, following its pages as a client does (each order's item once)."""
    return await read_all(service, path, token=token, params=params, key="order_id")


async def fund(
    inject: EventInjector,
    order_id: str,
    *,
    funded_hours_ago: float = 0,
    due_in_hours: float = 72,
    buyer: str = BUYER,
    supplier: str = SUPPLIER,
    base: datetime = NOW,
) -> None:
    """Escrow funds an order: its shipment opens with this funding time and dispatch deadline."""
    event = funded(
        order_id,
        at=base - timedelta(hours=funded_hours_ago),
        buyer_id=buyer,
        supplier_id=supplier,
        dispatch_deadline=base + timedelta(hours=due_in_hours),
    )
    await inject.publish(event)


async def stored(service: RunningService, collection: str, count: int) -> None:
    """Wait until the service holds `count` documents in `collection` (events are handled asynchronously)."""

    async def there() -> bool:
        return await service.platform.db[collection].count_documents({}) == count

    await eventually(there)


async def book(service: RunningService, tokens: Tokens, order_id: str, *, buyer: str = BUYER) -> str:
    """The order's buyer books an inspection; its id."""
    body = {"order_id": order_id, "agency": "sgs", "criteria": CRITERIA}
    response = await service.call("POST", INSPECTIONS, json=body, token=tokens.buyer(buyer))
    assert response.status == 201, await response.text()
    inspection_id: str = (await response.json())["inspection_id"]
    return inspection_id


async def agency_passes(service: RunningService, inspection_id: str) -> None:
    control = {"measurements": {"defect_rate": "1.0"}, "report_ref": f"SGS-{inspection_id}"}
    response = await service.call("POST", f"/sandbox/inspections/{inspection_id}/result", json=control)
    assert (await response.json())["statuses"] == [200]


async def return_requested(
    inject: EventInjector, order_id: str, *, at: datetime, buyer: str = BUYER, supplier: str = SUPPLIER
) -> str:
    """A dispute decision sends the goods of an order back; the return's id."""
    claim_id = f"c-{order_id}"
    command = ReturnRequested(
        claim_id=claim_id, order_id=order_id, buyer_id=buyer, supplier_id=supplier, requested_at=at
    )
    await inject.publish(command)
    return f"dispute-{claim_id}"
