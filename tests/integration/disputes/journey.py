"""Given-steps for the disputes tests: an order escrow funded and logistics delivered, told through events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from deploy.local.polling import eventually
from services.disputes.app import build_app
from services.disputes.settings import DisputesSettings
from shared.clock import ManualClock
from shared.contracts.catalog import AfterSalesLabel
from shared.contracts.escrow import BuyerTier, OrderFunded, OrderKind, OrderPlaced
from shared.contracts.logistics import ShipmentDelivered
from shared.money import Money
from shared.timers import DueTimer
from tests.support.protection import protection
from tests.support.services import EventInjector, RunningService, StartService, Tokens

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BUYER, OTHER_BUYER = "buyer-1", "buyer-2"
SUPPLIER, OTHER_SUPPLIER = "supplier-1", "supplier-2"
MEDIATOR = "mediator-1"


def usd(cents: int) -> Money:
    return Money(amount=cents, currency="USD")


def parties(order_id: str, buyer: str = BUYER, supplier: str = SUPPLIER) -> dict[str, Any]:
    return {"order_id": order_id, "buyer_id": buyer, "supplier_id": supplier}


def shipment(order_id: str, buyer: str = BUYER, supplier: str = SUPPLIER) -> dict[str, Any]:
    return {**parties(order_id, buyer, supplier), "shipment_id": f"shp-{order_id}"}


def order_funded(
    order_id: str,
    *,
    labels: tuple[AfterSalesLabel, ...] = (),
    buyer: str = BUYER,
    supplier: str = SUPPLIER,
) -> OrderFunded:
    funded_at = NOW - timedelta(days=10)
    return OrderFunded(
        **parties(order_id, buyer, supplier),
        buyer_tier=BuyerTier.STANDARD,
        order_kind=OrderKind.STANDARD,
        payment_id=f"pay-{order_id}",
        paid=usd(100_000),
        product_id="prod-1",
        quantity=500,
        destination_country="DE",
        destination_timezone="Europe/Berlin",
        guaranteed=False,
        inspection_required=False,
        after_sales=labels,
        handling_time=timedelta(days=3),
        transit_days=12,
        dispatch_deadline=funded_at + timedelta(days=3),
        promised_delivery_date=date(2026, 3, 7),
        delivery_late_from=datetime(2026, 3, 7, 23, 0, tzinfo=UTC),
        protection=protection("USD"),
        funded_at=funded_at,
    )


def order_placed(order_id: str, buyer: str = BUYER, supplier: str = SUPPLIER) -> OrderPlaced:
    return OrderPlaced(
        **parties(order_id, buyer, supplier),
        buyer_tier=BuyerTier.STANDARD,
        order_kind=OrderKind.STANDARD,
        product_id="prod-1",
        quantity=500,
        total=usd(100_000),
        destination_country="DE",
        guaranteed=False,
        inspection_required=False,
        placed_at=NOW - timedelta(days=11),
    )


@dataclass
class Disputes:
    """The running disputes service with its clock, tokens and the broker's other producers."""

    service: RunningService
    clock: ManualClock
    tokens: Tokens
    inject: EventInjector

    async def call(self, method: str, path: str, token: str, json: Any = None) -> tuple[int, Any]:
        response = await self.service.call(method, path, token=token, json=json)
        return response.status, await response.json()

    def buyer(self, sub: str = BUYER) -> str:
        return self.tokens.buyer(sub)

    def supplier(self, sub: str = SUPPLIER) -> str:
        return self.tokens.supplier(sub)

    def mediator(self, sub: str = MEDIATOR) -> str:
        return self.tokens.ops(sub, "ops:mediator")

    def timer(self, name: str) -> DueTimer:
        return next(w for w in self.service.platform.workers if isinstance(w, DueTimer) and w.name == name)

    async def published(self, event_type: str) -> list[dict[str, Any]]:
        return await self.service.published(event_type)

    async def order(self, order_id: str) -> dict[str, Any] | None:
        return await self.service.platform.db["orders"].find_one({"_id": order_id})

    async def until(self, condition: Callable[[], Awaitable[bool]]) -> None:
        await eventually(condition, timeout=10)

    async def funded(
        self,
        order_id: str,
        *,
        labels: tuple[AfterSalesLabel, ...] = (),
        buyer: str = BUYER,
        supplier: str = SUPPLIER,
    ) -> None:
        """Escrow placed and funded the order between `buyer` and `supplier`; disputes' read model has it."""
        funded = order_funded(order_id, labels=labels, buyer=buyer, supplier=supplier)
        await self.inject.publish(order_placed(order_id, buyer, supplier))
        await self.inject.publish(funded)

        async def known() -> bool:
            order = await self.order(order_id)
            return order is not None and order.get("view") is not None and "placed" in order["contract"]

        await self.until(known)

    async def delivered(
        self,
        order_id: str,
        *,
        labels: tuple[AfterSalesLabel, ...] = (),
        buyer: str = BUYER,
        supplier: str = SUPPLIER,
    ) -> None:
        """Funded, then delivered yesterday: the protection window is open."""
        await self.funded(order_id, labels=labels, buyer=buyer, supplier=supplier)
        await self.inject.publish(
            ShipmentDelivered(
                **shipment(order_id, buyer, supplier),
                delivered_at=NOW - timedelta(days=1),
                promised_delivery_date=date(2026, 3, 7),
                on_time=True,
            )
        )

        async def delivered() -> bool:
            order = await self.order(order_id)
            return order is not None and order["view"].get("delivered_at") is not None

        await self.until(delivered)

    async def claim(self, order_id: str, *, buyer: str = BUYER, **overrides: Any) -> dict[str, Any]:
        """The buyer opens a quality claim asking for a full refund."""
        body = {
            "order_id": order_id,
            "reason": "quality_not_as_agreed",
            "requested_outcome": "full_refund",
            "description": "colour is not Pantone 286 C as agreed",
            **overrides,
        }
        status, claim = await self.call("POST", "/v1/disputes", self.buyer(buyer), body)
        assert status == 201, claim
        return dict(claim)


StartDisputes = Callable[..., Awaitable[Disputes]]


async def start_disputes(
    start_service: StartService, tokens: Tokens, inject: EventInjector, **overrides: Any
) -> Disputes:
    clock = ManualClock(NOW)
    # Timers only fire when a test sweeps them, so each firing is observed deterministically.
    overrides.setdefault("timer_interval_seconds", 3600)
    service = await start_service(build_app, DisputesSettings, clock=clock, **overrides)
    return Disputes(service, clock, tokens, inject)
