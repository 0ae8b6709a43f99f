"""Escrow test journeys: signed catalog quotes, the sandbox payment provider, logistics and disputes facts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from deploy.local.polling import eventually
from services.escrow.settings import EscrowSettings
from shared.contracts.catalog import Quote
from shared.contracts.logistics import ShipmentDelivered, ShipmentDispatched
from shared.money import Money
from shared.security.keys import DevKeys, sign_claims
from shared.timers import DueTimer
from tests.support.clocks import FrozenTestClock
from tests.support.protection import easy_return, rate
from tests.support.services import EventInjector, RunningService, Tokens

PRICES = {"USD": (1_999, 15_000), "JPY": (1_250, 8_000), "KWD": (3_125, 12_500)}


def start_of_test() -> datetime:
    # Quote signatures expire by the wall clock, so the test clock starts at the real present.
    return datetime.now(UTC).replace(microsecond=0)


def order_body(quote: str, **terms: Any) -> dict[str, Any]:
    """An order on a signed quote to the United States, which keep several clocks: the buyer names one."""
    return {"quote": quote, "destination_timezone": "America/New_York", **terms}


def signed_quote(keys: DevKeys, *, buyer_id: str, now: datetime, currency: str = "USD", **fields: Any) -> str:
    unit, shipping = PRICES[currency]
    quantity = int(fields.pop("quantity", 100))
    values: dict[str, Any] = {
        "id": f"q-{uuid.uuid4().hex[:8]}",
        "product_id": "p-1",
        "supplier_id": "s-1",
        "buyer_id": buyer_id,
        "title": "Steel brackets",
        "category": "hardware",
        "origin": "CN",
        "quantity": quantity,
        "destination": "US",
        "unit_price": Money(amount=unit, currency=currency),
        "tier_min_qty": 50,
        "goods_total": Money(amount=unit * quantity, currency=currency),
        "shipping": Money(amount=shipping, currency=currency),
        "total": Money(amount=unit * quantity + shipping, currency=currency),
        "trade_assurance": True,
        "guaranteed_dispatch_within": None,
        "easy_return": easy_return(currency),
        "exchange_rate": rate(currency),
        "after_sales": (),
        "risk_signals": (),
        "issued_at": now,
        "expires_at": now + timedelta(hours=1),
        **fields,
    }
    quote = Quote.model_validate(values)
    claims = {"quote": quote.model_dump(mode="json"), "jti": quote.id}
    return sign_claims(
        keys.private_key_path,
        claims,
        audience="tradeguard-escrow",
        issuer="tradeguard-catalog",
        expires_at=quote.expires_at,
    )


def timer(service: RunningService, name: str) -> DueTimer:
    return next(w for w in service.platform.workers if isinstance(w, DueTimer) and w.name == name)


@dataclass
class Escrow:
    """The running escrow service, driven as its clients and neighbours would drive it."""

    service: RunningService
    tokens: Tokens
    quote_keys: DevKeys
    inject: EventInjector
    clock: FrozenTestClock
    settings: EscrowSettings

    async def place(
        self, buyer: str = "b-1", *, tier: str = "standard", currency: str = "USD", **quote: Any
    ) -> str:
        token = signed_quote(
            self.quote_keys, buyer_id=buyer, now=self.clock.now(), currency=currency, **quote
        )
        response = await self.service.call(
            "POST", "/v1/orders", json=order_body(token), token=self.tokens.buyer(buyer, tier)
        )
        assert response.status == 201, await response.text()
        return str((await response.json())["order_id"])

    async def pay(self, order_id: str, buyer: str = "b-1", *, tier: str = "standard", **settle: Any) -> Any:
        intent = await self.open_intent(order_id, buyer, tier=tier)
        response = await self.service.call("POST", f"/sandbox/payments/{intent}/succeed", json=settle)
        assert response.status == 200, await response.text()
        return (await response.json())["deliveries"]

    async def open_intent(self, order_id: str, buyer: str = "b-1", *, tier: str = "standard") -> str:
        response = await self.service.call(
            "POST", f"/v1/orders/{order_id}/payments", token=self.tokens.buyer(buyer, tier)
        )
        assert response.status == 201, await response.text()
        return str((await response.json())["intent_id"])

    async def order(self, order_id: str, token: str | None = None) -> dict[str, Any]:
        response = await self.service.call(
            "GET", f"/v1/orders/{order_id}", token=token or self.tokens.ops("ops-1", "ops:finance")
        )
        assert response.status == 200, await response.text()
        document: dict[str, Any] = await response.json()
        return document

    async def status_becomes(self, order_id: str, status: str) -> None:
        async def reached() -> bool:
            return bool((await self.order(order_id))["status"] == status)

        await eventually(reached)

    async def ship_and_deliver(
        self, order_id: str, buyer: str = "b-1", *, delivered_after: timedelta
    ) -> datetime:
        now = self.clock.now()
        parties = {
            "order_id": order_id,
            "shipment_id": f"sh-{order_id}",
            "buyer_id": buyer,
            "supplier_id": "s-1",
        }
        await self.inject.publish(
            ShipmentDispatched(
                **parties,
                carrier="DHL",
                tracking_number="1Z",
                dispatched_at=now,
                dispatch_deadline=now + timedelta(days=7),
                on_time=True,
            )
        )
        await self.status_becomes(order_id, "shipped")
        delivered_at = now + delivered_after
        await self.inject.publish(
            ShipmentDelivered(
                **parties, delivered_at=delivered_at, promised_delivery_date=delivered_at.date(), on_time=True
            )
        )
        await self.status_becomes(order_id, "delivered")
        return delivered_at

    async def ledger_breaches(self) -> list[dict[str, Any]]:
        response = await self.service.call(
            "GET", "/v1/ledger/check", token=self.tokens.ops("fin-1", "ops:finance")
        )
        assert response.status == 200, await response.text()
        breaches: list[dict[str, Any]] = (await response.json())["breaches"]
        return breaches
