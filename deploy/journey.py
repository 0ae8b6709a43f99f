"""The buyer journey over the public APIs, written once: a verified seller, a paid order, delivery, release.

A `Journey` scripts one buyer's order step by step through a `Caller`: `PlatformClient` itself (the
end-to-end tests, the demo), a wrapper that times each call (bench/lifecycle) or one that retries each call
through faults (the chaos suite). Its `Pace` says how long it waits and hears each step as it starts.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from deploy.local.client import CallFailed, PlatformClient
from deploy.local.polling import eventually

UNIT_PRICE = 450  # minor units, USD
QUANTITY = 200
# The sandbox provider already settled the intent: an earlier attempt did it, and the provider redelivers
# its webhook itself.
SETTLED = "sandbox-intent-settled"


def money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "USD"}


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

    async def until(self, wait: Wait, condition: Callable[[], Awaitable[bool]]) -> None:
        try:
            await eventually(condition, timeout=self.patience, interval=self.interval)
        except TimeoutError:
            raise AssertionError(f"still waiting for {wait} after {self.patience:.0f}s") from None


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
        placed = await self.caller.call(
            "escrow", "POST", "/v1/orders", token=self.buyer, json={"quote": quoted["token"]}
        )
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

        async def reached() -> bool:
            order = await self.order_document()
            return bool(order["status"] == status and (paid is None or order["paid"]["amount"] == paid))

        await self.pace.until(Wait(status, self.order_id, signal), reached)

    async def shipment_opened(self) -> None:
        """Logistics opens the shipment when it hears the order was funded."""

        async def found() -> bool:
            path = f"/v1/orders/{self.order_id}/shipment"
            shipment = await self.caller.call("logistics", "GET", path, token=self.buyer, expect=(200, 404))
            self.shipment_id = str((shipment or {}).get("shipment_id") or "")
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

        async def acknowledged() -> bool:
            tracked = await self.caller.call("logistics", "POST", path, json=report)
            return all(status < 300 for status in tracked["statuses"])

        await self.pace.until(Wait("the carrier's delivery webhook", self.order_id), acknowledged)

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
        path = f"/v1/orders/{self.order_id}/timeline"

        def seen() -> Counter[str]:
            return Counter(f"{entry['service']}.{entry['event']}" for entry in entries)

        async def complete() -> bool:
            entries[:] = (await self.caller.call("escrow", "GET", path, token=self.buyer))["entries"]
            return not Counter(names) - seen()

        try:
            await self.pace.until(Wait("the timeline", self.order_id), complete)
        except AssertionError:
            lacking = sorted((Counter(names) - seen()).elements())
            raise AssertionError(f"timeline lacks {lacking}; has {sorted(seen())}") from None
        return entries


# The supplier's side: registered, verified, enrolled in Trade Assurance, listing products.


def verified_audit(
    now: datetime | None = None,
    *,
    agency: str = "SGS",
    report_ref: str = "SGS-2026-0042",
    advanced_manufacturing: bool = True,
) -> dict[str, Any]:
    """An audit covering online and on-site checks, valid at `now`: it makes a supplier Verified."""
    at = now or datetime.now(UTC).replace(microsecond=0)
    return {
        "agency": agency,
        "scopes": ["online", "on_site"],
        "supplier_type": "custom_manufacturer",
        "report_ref": report_ref,
        "audited_at": (at - timedelta(days=30)).isoformat(),
        "expires_at": (at + timedelta(days=335)).isoformat(),
        "advanced_manufacturing_attested": advanced_manufacturing,
    }


async def register_supplier(caller: Caller, supplier_id: str, profile: dict[str, Any]) -> None:
    token = caller.token(supplier_id, "supplier")
    await caller.call("catalog", "POST", "/v1/suppliers", token=token, json=profile)


async def pass_audit(caller: Caller, verifier: str, supplier_id: str, audit: dict[str, Any]) -> None:
    path = f"/v1/suppliers/{supplier_id}/audits"
    await caller.call("catalog", "POST", path, token=verifier, json=audit)


async def enrol_in_trade_assurance(caller: Caller, verifier: str, supplier_id: str) -> None:
    path = f"/v1/suppliers/{supplier_id}/trade-assurance"
    await caller.call("catalog", "PUT", path, token=verifier, json={"enrolled": True})


async def list_product(caller: Caller, supplier_id: str, terms: dict[str, Any]) -> str:
    """The supplier lists a product; its id."""
    token = caller.token(supplier_id, "supplier")
    return str((await caller.call("catalog", "POST", "/v1/products", token=token, json=terms))["id"])


async def onboard_supplier(caller: Caller, run: str, supplier_id: str, *, legal_name: str) -> None:
    """A supplier registers its profile, passes an on-site audit (Verified) and enrols in Trade Assurance."""
    verifier = caller.token(f"officer-{run}", "ops:verification")
    profile = {
        "legal_name": legal_name,
        "country": "CN",
        "year_established": 2012,
        "main_markets": ["EU", "US"],
        "staff_count": 90,
        "factory_size_m2": 6000,
    }
    await register_supplier(caller, supplier_id, profile)
    await pass_audit(caller, verifier, supplier_id, verified_audit())
    await enrol_in_trade_assurance(caller, verifier, supplier_id)


@dataclass
class Seller:
    """One verified Trade Assurance supplier with one listed product, and the ops people around it."""

    client: PlatformClient
    run: str
    supplier_id: str
    supplier: str
    product_id: str
    mediator: str
    finance: str

    async def ledger_is_clean(self) -> None:
        check = await self.client.call("escrow", "GET", "/v1/ledger/check", token=self.finance)
        assert check["breaches"] == [], check


async def new_seller(client: PlatformClient, *, easy_return: bool) -> Seller:
    """A supplier registers, is audited and enrolled in Trade Assurance, and lists a TA product."""
    run = uuid.uuid4().hex[:8]
    supplier_id = f"sup-{run}"
    await onboard_supplier(client, run, supplier_id, legal_name=f"Yiwu Kettles {run} Co., Ltd.")
    terms = {
        "title": f"Electric kettle{run} 1.7 l",
        "category_id": "small-appliances",
        "parent_category_id": "kitchen",
        "moq": 100,
        "order_multiple": 10,
        "currency": "USD",
        "trade_assurance": True,
        "easy_return": easy_return,
        "tiers": [{"min_qty": 100, "unit_price": money(UNIT_PRICE)}],
    }
    return Seller(
        client=client,
        run=run,
        supplier_id=supplier_id,
        supplier=client.token(supplier_id, "supplier"),
        product_id=await list_product(client, supplier_id, terms),
        mediator=client.token(f"mediator-{run}", "ops:mediator"),
        finance=client.token(f"fin-{run}", "ops:finance"),
    )


@dataclass
class Trade:
    """One paid order of a seller's product by one buyer, as the end-to-end tests look at it."""

    seller: Seller
    journey: Journey

    @property
    def client(self) -> PlatformClient:
        return self.seller.client

    @property
    def buyer_id(self) -> str:
        return self.journey.buyer_id

    @property
    def buyer(self) -> str:
        return self.journey.buyer

    @property
    def order_id(self) -> str:
        return self.journey.order_id

    @property
    def shipment_id(self) -> str:
        return self.journey.shipment_id

    @property
    def total(self) -> int:
        return self.journey.total

    @property
    def shipping(self) -> int:
        return int((self.journey.quote.get("shipping") or money(0))["amount"])

    @property
    def run(self) -> str:
        return self.seller.run

    @property
    def supplier_id(self) -> str:
        return self.seller.supplier_id

    @property
    def mediator(self) -> str:
        return self.seller.mediator

    async def order(self) -> dict[str, Any]:
        return await self.journey.order_document()

    def order_is(self, status: str) -> Callable[[], Awaitable[bool]]:
        async def check() -> bool:
            return bool((await self.order())["status"] == status)

        return check

    async def ledger_is_clean(self) -> None:
        await self.seller.ledger_is_clean()

    async def claim(self, claim_id: str) -> dict[str, Any]:
        path = f"/v1/disputes/{claim_id}"
        document: dict[str, Any] = await self.client.call("disputes", "GET", path, token=self.mediator)
        return document

    async def shipment_opened(self) -> None:
        await self.journey.shipment_opened()

    async def dispatch(self, *, expect: int = 200) -> dict[str, Any]:
        return await self.journey.dispatch(expect=expect)

    async def deliver(self) -> None:
        await self.journey.deliver()

    async def confirm(self) -> dict[str, Any]:
        await self.journey.confirm()
        return await self.order()

    async def timeline_has(self, *names: str) -> list[dict[str, Any]]:
        """The timeline once it shows `names`, in the order things happened."""
        entries = await self.journey.timeline(*names)
        times = [datetime.fromisoformat(entry["time"]) for entry in entries]
        assert times == sorted(times), [(e["service"], e["event"], e["time"]) for e in entries]
        return entries


async def paid_order(seller: Seller) -> Trade:
    """A new buyer finds the seller's product, gets a quote to the US, orders and pays (sandbox)."""
    journey = Journey(seller.client, f"buyer-{uuid.uuid4().hex[:8]}", seller.supplier_id, seller.product_id)
    await journey.find(f"kettle{seller.run}")
    await journey.buy()
    trade = Trade(seller, journey)
    assert trade.total == UNIT_PRICE * QUANTITY + trade.shipping, journey.quote
    return trade
