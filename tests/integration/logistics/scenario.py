"""Givens shared by the logistics integration tests: routes, funded orders, a started service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from deploy.local.polling import eventually
from services.logistics.app import build_app
from services.logistics.settings import LogisticsSettings
from shared.clock import Clock
from shared.contracts.escrow import BuyerTier, OrderFunded, OrderKind
from shared.money import Money
from tests.support.protection import protection
from tests.support.services import RunningService, StartService, Tokens

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
BUYER, SUPPLIER = "buyer-1", "supplier-1"
ROUTE: dict[str, Any] = {
    "route_id": "cn-us-express",
    "origin_country": "CN",
    "destination_country": "US",
    "carrier_service": "express-air",
    "transit_days": 5,
    "destination_timezone": "America/New_York",
    "price_per_unit": {"amount": 250, "currency": "USD"},
}


async def start_logistics(
    start_service: StartService, *, clock: Clock | None = None, sandbox: bool = False, **overrides: Any
) -> RunningService:
    return await start_service(build_app, LogisticsSettings, clock=clock, sandbox=sandbox, **overrides)


def funded(order_id: str, *, at: datetime = NOW, easy_return: bool = False, **overrides: Any) -> OrderFunded:
    """A standard (non-Guaranteed) order funded at `at`: 72 h handling, 5 transit days to New York.

    The promise is escrow's fact, which logistics keeps as given; `delivery_late_from` is a round day count
    rather than the end of the local day, which the tests here do not depend on.
    """
    fields: dict[str, Any] = {
        "order_id": order_id,
        "buyer_id": BUYER,
        "supplier_id": SUPPLIER,
        "buyer_tier": BuyerTier.STANDARD,
        "order_kind": OrderKind.STANDARD,
        "payment_id": f"pay-{order_id}",
        "paid": Money(amount=120_000, currency="USD"),
        "product_id": "p-1",
        "quantity": 100,
        "destination_country": "US",
        "destination_timezone": "America/New_York",
        "guaranteed": False,
        "inspection_required": False,
        "after_sales": (),
        "handling_time": timedelta(hours=72),
        "transit_days": 5,
        "dispatch_deadline": at + timedelta(hours=72),
        "promised_delivery_date": (at + timedelta(hours=72, days=5)).date(),
        "delivery_late_from": at + timedelta(days=9),
        "protection": protection("USD", easy_return_eligible=easy_return),
        "funded_at": at,
    }
    return OrderFunded(**(fields | overrides))


async def shipment_of(service: RunningService, tokens: Tokens, order_id: str) -> dict[str, Any]:
    """Wait until the funded order's shipment is open, and read it as its buyer."""

    async def opened() -> bool:
        return await service.platform.db["shipments"].count_documents({"order_id": order_id}) == 1

    await eventually(opened)
    response = await service.call("GET", f"/v1/orders/{order_id}/shipment", token=tokens.buyer(BUYER))
    assert response.status == 200, await response.text()
    body: dict[str, Any] = await response.json()
    return body


async def dispatch(
    service: RunningService, tokens: Tokens, shipment_id: str, *, tracking: str = "1Z999", key: str = "d-1"
) -> int:
    response = await service.call(
        "POST",
        f"/v1/shipments/{shipment_id}/dispatch",
        json={"carrier": "ups", "tracking_number": tracking},
        token=tokens.supplier(SUPPLIER),
        idempotency_key=key,
    )
    return response.status


def published(service: RunningService, event_type: str, count: int) -> Callable[[], Awaitable[bool]]:
    """A condition for `eventually`: the service has recorded `count` events of this type."""

    async def condition() -> bool:
        return len(await service.published(event_type)) == count

    return condition


def handled(service: RunningService, subscription: str, count: int) -> Callable[[], Awaitable[bool]]:
    """A condition for `eventually`: the subscription has finished `count` messages (duplicates included)."""

    async def condition() -> bool:
        registry = service.platform.metrics.registry
        outcomes = [
            registry.get_sample_value(
                "tradeguard_messages_handled_total", {"subscription": subscription, "outcome": outcome}
            )
            or 0
            for outcome in ("handled", "duplicate")
        ]
        return sum(outcomes) >= count

    return condition
