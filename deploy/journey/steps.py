"""A buyer's order step by step, written once: find, quote and order, pay, ship, deliver, confirm, review.

A `Journey` makes its calls through a `Caller`: `PlatformClient` itself (the end-to-end tests, the demo), a
wrapper that times each call (bench/lifecycle) or one that retries each call through faults (the chaos
suite). Its `Pace` says how long it waits, and hears each step as it starts.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from deploy.journey.finding import shipment_to_dispatch
from deploy.local.client import CallFailed
from deploy.local.polling import eventually

QUANTITY = 200
# The sandbox provider already settled the intent: an earlier attempt did it, and the provider redelivers
# its webhook itself.
SETTLED = "sandbox-intent-settled"


class Caller(Protocol):
    """What makes the journey's calls; `PlatformClient` is one."""

    def token(self, sub: str, role: str, tier: str | None = None) -> str: ...

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json: Any = None,
        params: dict[str, str] | None = None,
        expect: int | tuple[int, ...] = (200, 201, 202),
    ) -> Any: ...


@dataclass(frozen=True)
class Wait:
    """Something the journey waits for; `signal` is the domain event that brings it about, if one does."""

    name: str
    order_id: str = ""
    signal: str | None = None

    def __str__(self) -> str:
        return f"{self.name} of order {self.order_id}" if self.order_id else self.name


@dataclass
class Pace:
    """How a journey waits for effects that cross services, and a hook that hears each step start."""

    patience: float = 20.0
    interval: float = 0.05

    def step(self, name: str, journey: Journey) -> None:
        """The journey is about to make the step's call (the demo narrates, the bench names its timings)."""

    async def until(
        self,
        wait: Wait,
        condition: Callable[[], Awaitable[bool]],
        *,
        last_seen: Callable[[], object] | None = None,
    ) -> None:
        """Poll `condition`; a wait that runs out says what it last saw, to tell a stall from a refusal."""
        try:
            await eventually(condition, timeout=self.patience, interval=self.interval)
        except TimeoutError:
            seen = f" (last seen: {last_seen()})" if last_seen is not None else ""
            raise AssertionError(f"still waiting for {wait} after {self.patience:.0f}s{seen}") from None


@dataclass
class Journey:
    """One buyer's order of one product, step by step; each step keeps what it learns for the next."""

    caller: Caller
    buyer_id: str
    supplier_id: str
    product_id: str
    tier: str = "standard"
    quantity: int = QUANTITY
    destination: str = "US"
    # The United States keep several clocks: the order names the one its promise ends in.
    destination_timezone: str | None = "America/New_York"
    pace: Pace = field(default_factory=Pace)
    quote: dict[str, Any] = field(default_factory=dict)
    order_id: str = ""
    shipment_id: str = ""

    def __post_init__(self) -> None:
        self.buyer = self.caller.token(self.buyer_id, "buyer", self.tier)
        self.supplier = self.caller.token(self.supplier_id, "supplier")

    @property
    def total(self) -> int:
        return int(self.quote["total"]["amount"])

    async def happy_path(self) -> None:
        """Order, pay, ship, deliver, confirm: the funds are released to the supplier."""
        await self.buy()
        await self.deliver()
        await self.confirm()

    async def find(self, keyword: str) -> None:
        """The buyer's search finds the product (the search index follows the catalog's events)."""
        self.pace.step("search", self)

        async def found() -> bool:
            page = await self.caller.call(
                "catalog", "GET", "/v1/products", token=self.buyer, params={"q": keyword}
            )
            return self.product_id in [item["id"] for item in page["items"]]

        await self.pace.until(Wait(f"{self.product_id} to be found by {keyword!r}"), found)

    async def buy(self) -> None:
        await self.place_order()
        await self.pay()
        await self.reaches("funded", signal="escrow.order_funded")

    async def place_order(self) -> None:
        """A price lock-in quote, and an order on it."""
        self.pace.step("quote", self)
        wanted = {"product_id": self.product_id, "quantity": self.quantity, "destination": self.destination}
        quoted = await self.caller.call("catalog", "POST", "/v1/quotes", token=self.buyer, json=wanted)
        self.quote = quoted["quote"]
        self.pace.step("order", self)
        order = {"quote": quoted["token"], "destination_timezone": self.destination_timezone}
        placed = await self.caller.call("escrow", "POST", "/v1/orders", token=self.buyer, json=order)
        self.order_id = str(placed["order_id"])

    async def pay(self) -> None:
        """A payment intent for the contract total; the sandbox provider takes the money and tells escrow."""
        self.pace.step("payment intent", self)
        path = f"/v1/orders/{self.order_id}/payments"
        intent = await self.caller.call("escrow", "POST", path, token=self.buyer)
        self.pace.step("sandbox succeed", self)
        try:
            await self.caller.call(
                "escrow", "POST", f"/sandbox/payments/{intent['intent_id']}/succeed", json={}
            )
        except CallFailed as failure:
            if failure.problem_type != SETTLED:
                raise

    async def cancel(self, reason: str = "changed my mind") -> None:
        self.pace.step("cancel", self)
        path = f"/v1/orders/{self.order_id}/cancel"
        await self.caller.call("escrow", "POST", path, token=self.buyer, json={"reason": reason})

    async def deliver(self) -> None:
        """Logistics opens the shipment, the supplier dispatches, the sandbox carrier delivers."""
        await self.shipment_opened()
        await self.dispatch()
        await self.reaches("shipped")
        await self.carrier_delivers()
        await self.reaches("delivered")

    async def confirm(self) -> None:
        self.pace.step("confirm", self)
        path = f"/v1/orders/{self.order_id}/confirm-receipt"
        await self.caller.call("escrow", "POST", path, token=self.buyer)
        await self.reaches("completed", signal="escrow.funds_released")

    async def order_document(self) -> dict[str, Any]:
        path = f"/v1/orders/{self.order_id}"
        document: dict[str, Any] = await self.caller.call("escrow", "GET", path, token=self.buyer)
        return document

    async def reaches(self, status: str, *, paid: int | None = None, signal: str | None = None) -> None:
        """Escrow shows the order in `status` (and, if given, with `paid` minor units paid)."""

        seen: dict[str, Any] = {}

        async def reached() -> bool:
            order = await self.order_document()
            seen.update(status=order["status"], paid=order["paid"]["amount"])
            return bool(order["status"] == status and (paid is None or order["paid"]["amount"] == paid))

        await self.pace.until(Wait(status, self.order_id, signal), reached, last_seen=lambda: seen)

    async def shipment_opened(self) -> None:
        """The supplier finds the order in its to-dispatch queue once logistics hears it was funded."""

        async def found() -> bool:
            row = await shipment_to_dispatch(self.caller, self.supplier, self.order_id)
            self.shipment_id = str((row or {}).get("shipment_id") or "")
            return bool(self.shipment_id)

        await self.pace.until(Wait("shipment", self.order_id, "logistics.shipment_created"), found)

    async def dispatch(self, *, expect: int | tuple[int, ...] = (200, 201, 202)) -> dict[str, Any]:
        """The supplier hands the goods to the carrier: the shipment, or the problem when `expect` says so."""
        self.pace.step("dispatch", self)
        body = {"carrier": "ups", "tracking_number": f"1Z{uuid.uuid4().hex[:12]}"}
        path = f"/v1/shipments/{self.shipment_id}/dispatch"
        answer: dict[str, Any] = await self.caller.call(
            "logistics", "POST", path, token=self.supplier, json=body, expect=expect
        )
        return answer

    async def carrier_delivers(self) -> None:
        """The sandbox carrier reports delivery, resending its webhook (one event id) until acknowledged."""
        self.pace.step("sandbox delivered", self)
        report = {"status": "delivered", "event_id": f"evt-delivered-{self.shipment_id}"}
        path = f"/sandbox/shipments/{self.shipment_id}/tracking"

        answered: list[int] = []

        async def acknowledged() -> bool:
            tracked = await self.caller.call("logistics", "POST", path, json=report)
            answered[:] = tracked["statuses"]
            return all(status < 300 for status in answered)

        wait = Wait("the carrier's delivery webhook", self.order_id)
        await self.pace.until(wait, acknowledged, last_seen=lambda: f"the webhook answered {answered}")

    async def review(self, kind: str, target: str, stars: int = 5) -> None:
        """Reviews open when catalog hears the order completed: resent until it has."""
        self.pace.step(f"{kind} review", self)
        rating = {"stars": stars, "quality": stars, "service": stars, "delivery": stars}
        draft = {"order_id": self.order_id, "target": {"kind": kind, "id": target}, "rating": rating}

        async def accepted() -> bool:
            body = await self.caller.call(
                "catalog", "POST", "/v1/reviews", token=self.buyer, json=draft, expect=(201, 403)
            )
            return bool(body.get("id"))

        await self.pace.until(Wait(f"the {kind} review", self.order_id), accepted)

    async def timeline(self, *names: str) -> list[dict[str, Any]]:
        """The order's timeline once it shows each `service.event` of `names` (a name given twice: twice)."""
        entries: list[dict[str, Any]] = []

        def seen() -> Counter[str]:
            return Counter(f"{entry['service']}.{entry['event']}" for entry in entries)

        async def complete() -> bool:
            entries[:] = await timeline_of(self.caller, self.buyer, self.order_id)
            return not Counter(names) - seen()

        try:
            await self.pace.until(Wait("the timeline", self.order_id), complete)
        except AssertionError:
            lacking = sorted((Counter(names) - seen()).elements())
            raise AssertionError(f"timeline lacks {lacking}; has {sorted(seen())}") from None
        return entries


async def timeline_of(caller: Caller, reader: str, order_id: str) -> list[dict[str, Any]]:
    """The order's timeline, oldest first; empty until escrow has recorded its first event (404 till then)."""
    path = f"/v1/orders/{order_id}/timeline"
    body = await caller.call("escrow", "GET", path, token=reader, expect=(200, 404))
    return list(body.get("entries", [])) if isinstance(body, dict) else []
