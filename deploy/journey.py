"""The buyer journey over the public APIs, written once: a verified seller, a paid order, delivery, release.

Each step is a function of a `Driver`: the end-to-end tests and the demo drive it directly
(`Direct`), bench/lifecycle times each call, and the chaos suite retries every call through faults.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from deploy.local.client import CallFailed, PlatformClient
from deploy.local.polling import eventually

UNIT_PRICE = 450  # minor units, USD
QUANTITY = 200


def money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "USD"}


def verified_audit() -> dict[str, Any]:
    """An SGS audit covering online and on-site checks, valid now: it makes a supplier Verified."""
    now = datetime.now(UTC).replace(microsecond=0)
    return {
        "agency": "SGS",
        "scopes": ["online", "on_site"],
        "supplier_type": "custom_manufacturer",
        "report_ref": "SGS-2026-0042",
        "audited_at": (now - timedelta(days=30)).isoformat(),
        "expires_at": (now + timedelta(days=335)).isoformat(),
        "advanced_manufacturing_attested": True,
    }


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


class Driver(Protocol):
    """How a journey's calls are made: each mutation names its step, reads may be polled until they hold."""

    async def send(
        self,
        step: str,
        service: str,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json: Any = None,
        done_if: frozenset[str] = frozenset(),
    ) -> Any:
        """A mutation; `done_if` names problems meaning an interrupted earlier attempt already did it."""
        ...

    async def read(
        self,
        service: str,
        path: str,
        *,
        token: str | None = None,
        params: dict[str, str] | None = None,
        expect: int | tuple[int, ...] = 200,
    ) -> Any: ...

    async def until(self, what: str, condition: Callable[[], Awaitable[bool]]) -> None: ...


@dataclass
class Direct:
    """Calls made once, as a person with curl makes them; a wait gives up after `patience` seconds."""

    client: PlatformClient
    patience: float = 20.0

    async def send(
        self,
        step: str,
        service: str,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json: Any = None,
        done_if: frozenset[str] = frozenset(),
    ) -> Any:
        return await self.client.call(service, method, path, token=token, json=json)

    async def read(
        self,
        service: str,
        path: str,
        *,
        token: str | None = None,
        params: dict[str, str] | None = None,
        expect: int | tuple[int, ...] = 200,
    ) -> Any:
        return await self.client.call(service, "GET", path, token=token, params=params, expect=expect)

    async def until(self, what: str, condition: Callable[[], Awaitable[bool]]) -> None:
        try:
            await eventually(condition, timeout=self.patience)
        except TimeoutError:
            raise AssertionError(f"still waiting for {what} after {self.patience:.0f}s") from None


# The steps, in journey order.


async def find_product(driver: Driver, buyer: str, keyword: str, product_id: str) -> None:
    """The buyer's search finds the product (the search index follows the catalog's events)."""

    async def found() -> bool:
        page = await driver.read("catalog", "/v1/products", token=buyer, params={"q": keyword})
        return product_id in [item["id"] for item in page["items"]]

    await driver.until(f"{product_id} to be found by {keyword!r}", found)


async def quote(
    driver: Driver, buyer: str, product_id: str, quantity: int, destination: str = "US"
) -> dict[str, Any]:
    """A price lock-in quote: `{"quote": {...}, "token": <signed quote>}`."""
    wanted = {"product_id": product_id, "quantity": quantity, "destination": destination}
    quoted: dict[str, Any] = await driver.send(
        "quote", "catalog", "POST", "/v1/quotes", token=buyer, json=wanted
    )
    return quoted


async def place_order(driver: Driver, buyer: str, signed_quote: str) -> dict[str, Any]:
    placed: dict[str, Any] = await driver.send(
        "order", "escrow", "POST", "/v1/orders", token=buyer, json={"quote": signed_quote}
    )
    return placed


async def open_payment(driver: Driver, buyer: str, order_id: str) -> str:
    """The buyer's payment intent for the contract total; its id."""
    path = f"/v1/orders/{order_id}/payments"
    intent = await driver.send("payment intent", "escrow", "POST", path, token=buyer)
    return str(intent["intent_id"])


async def provider_captures(driver: Driver, intent_id: str) -> None:
    """The sandbox provider takes the money and sends its signed webhook."""
    # Settled by an attempt that died before answering: the provider redelivers its webhook itself.
    path = f"/sandbox/payments/{intent_id}/succeed"
    await driver.send("sandbox succeed", "escrow", "POST", path, json={}, done_if=SETTLED)


async def cancel(driver: Driver, buyer: str, order_id: str, reason: str = "changed my mind") -> None:
    path = f"/v1/orders/{order_id}/cancel"
    await driver.send("cancel", "escrow", "POST", path, token=buyer, json={"reason": reason})


async def order_of(driver: Driver, reader: str, order_id: str) -> dict[str, Any]:
    order: dict[str, Any] = await driver.read("escrow", f"/v1/orders/{order_id}", token=reader)
    return order


async def order_reaches(
    driver: Driver, reader: str, order_id: str, status: str, *, paid: int | None = None
) -> None:
    """Wait for escrow to show the order in `status` (and, if given, with `paid` minor units paid)."""

    async def reached() -> bool:
        order = await order_of(driver, reader, order_id)
        return bool(order["status"] == status and (paid is None or order["paid"]["amount"] == paid))

    await driver.until(f"order {order_id} {status}", reached)


async def shipment_opened(driver: Driver, buyer: str, order_id: str) -> str:
    """Logistics opens the shipment when it hears the order was funded; its id."""
    opened: dict[str, Any] = {}

    async def found() -> bool:
        path = f"/v1/orders/{order_id}/shipment"
        shipment = await driver.read("logistics", path, token=buyer, expect=(200, 404))
        if shipment and shipment.get("shipment_id"):
            opened.update(shipment)
            return True
        return False

    await driver.until(f"the shipment of {order_id}", found)
    return str(opened["shipment_id"])


async def dispatch(
    driver: Driver, supplier: str, shipment_id: str, *, carrier: str = "ups"
) -> dict[str, Any]:
    body = {"carrier": carrier, "tracking_number": f"1Z{uuid.uuid4().hex[:12]}"}
    path = f"/v1/shipments/{shipment_id}/dispatch"
    dispatched: dict[str, Any] = await driver.send(
        "dispatch", "logistics", "POST", path, token=supplier, json=body
    )
    return dispatched


async def carrier_delivers(driver: Driver, shipment_id: str) -> None:
    """The sandbox carrier reports delivery, retrying its webhook (one event id) until it is acknowledged."""
    report = {"status": "delivered", "event_id": f"evt-delivered-{shipment_id}"}
    path = f"/sandbox/shipments/{shipment_id}/tracking"

    async def acknowledged() -> bool:
        tracked = await driver.send("sandbox delivered", "logistics", "POST", path, json=report)
        return all(status < 300 for status in tracked["statuses"])

    await driver.until("the carrier's delivery webhook to be acknowledged", acknowledged)


async def confirm_receipt(driver: Driver, buyer: str, order_id: str) -> None:
    path = f"/v1/orders/{order_id}/confirm-receipt"
    await driver.send("confirm", "escrow", "POST", path, token=buyer)


async def review(driver: Driver, buyer: str, order_id: str, kind: str, target: str, stars: int = 5) -> None:
    """Reviews open when catalog hears the order completed: retried until it has."""
    rating = {"stars": stars, "quality": stars, "service": stars, "delivery": stars}
    draft = {"order_id": order_id, "target": {"kind": kind, "id": target}, "rating": rating}

    async def accepted() -> bool:
        try:
            body = await driver.send("review", "catalog", "POST", "/v1/reviews", token=buyer, json=draft)
        except CallFailed as refused:
            if refused.problem_type == "review-order-not-completed":  # catalog has not heard yet
                return False
            raise
        return bool(body.get("id"))

    await driver.until(f"the {kind} review to be accepted", accepted)


SETTLED = frozenset({"sandbox-intent-settled"})


# The journey as the tests use it: one seller, its paid orders and what happens to them.


@dataclass
class Trade:
    """One paid order of a seller's product by one buyer."""

    seller: Seller
    buyer_id: str
    buyer: str
    order_id: str
    total: int
    shipping: int
    shipment_id: str = ""

    @property
    def client(self) -> PlatformClient:
        return self.seller.client

    @property
    def driver(self) -> Direct:
        return Direct(self.client)

    async def order(self) -> dict[str, Any]:
        return await order_of(self.driver, self.seller.finance, self.order_id)

    def order_is(self, status: str) -> Callable[[], Awaitable[bool]]:
        async def check() -> bool:
            return bool((await self.order())["status"] == status)

        return check

    @property
    def run(self) -> str:
        return self.seller.run

    @property
    def supplier_id(self) -> str:
        return self.seller.supplier_id

    @property
    def supplier(self) -> str:
        return self.seller.supplier

    @property
    def mediator(self) -> str:
        return self.seller.mediator

    async def ledger_is_clean(self) -> None:
        await self.seller.ledger_is_clean()

    async def claim(self, claim_id: str) -> dict[str, Any]:
        document: dict[str, Any] = await self.client.call(
            "disputes", "GET", f"/v1/disputes/{claim_id}", token=self.mediator
        )
        return document

    async def shipment_opened(self) -> None:
        """Logistics opened the shipment when it heard the order was funded."""
        self.shipment_id = await shipment_opened(self.driver, self.buyer, self.order_id)

    async def dispatch(self, *, expect: int = 200) -> dict[str, Any]:
        if expect != 200:  # a refusal the test expects, with the problem it answers
            body: dict[str, Any] = await self.client.call(
                "logistics",
                "POST",
                f"/v1/shipments/{self.shipment_id}/dispatch",
                token=self.supplier,
                json={"carrier": "ups", "tracking_number": f"1Z{uuid.uuid4().hex[:10]}"},
                expect=expect,
            )
            return body
        return await dispatch(self.driver, self.supplier, self.shipment_id)

    async def deliver(self) -> None:
        """Logistics opens the shipment, the supplier dispatches, the sandbox carrier delivers."""
        await self.shipment_opened()
        await self.dispatch()
        await order_reaches(self.driver, self.seller.finance, self.order_id, "shipped")
        await carrier_delivers(self.driver, self.shipment_id)
        await order_reaches(self.driver, self.seller.finance, self.order_id, "delivered")

    async def confirm(self) -> dict[str, Any]:
        await confirm_receipt(self.driver, self.buyer, self.order_id)
        await order_reaches(self.driver, self.seller.finance, self.order_id, "completed")
        return await self.order()

    async def timeline_has(self, *names: str) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []

        async def complete() -> bool:
            timeline = await self.client.call(
                "escrow", "GET", f"/v1/orders/{self.order_id}/timeline", token=self.buyer
            )
            entries[:] = timeline["entries"]
            seen = {f"{entry['service']}.{entry['event']}" for entry in entries}
            return set(names) <= seen

        try:
            await eventually(complete)
        except TimeoutError:
            seen = sorted({f"{entry['service']}.{entry['event']}" for entry in entries})
            raise AssertionError(f"timeline lacks {sorted(set(names) - set(seen))}; has {seen}") from None
        times = [datetime.fromisoformat(entry["time"]) for entry in entries]
        assert times == sorted(times), [(e["service"], e["event"], e["time"]) for e in entries]
        return entries


async def onboard_supplier(client: PlatformClient, run: str, supplier_id: str, *, legal_name: str) -> None:
    """A supplier registers its profile, passes an on-site audit (Verified) and enrols in Trade Assurance."""
    verifier = client.token(f"officer-{run}", "ops:verification")
    profile = {
        "legal_name": legal_name,
        "country": "CN",
        "year_established": 2012,
        "main_markets": ["EU", "US"],
        "staff_count": 90,
        "factory_size_m2": 6000,
    }
    await client.call(
        "catalog", "POST", "/v1/suppliers", token=client.token(supplier_id, "supplier"), json=profile
    )
    await client.call(
        "catalog", "POST", f"/v1/suppliers/{supplier_id}/audits", token=verifier, json=verified_audit()
    )
    await client.call(
        "catalog",
        "PUT",
        f"/v1/suppliers/{supplier_id}/trade-assurance",
        token=verifier,
        json={"enrolled": True},
    )


async def new_seller(client: PlatformClient, *, easy_return: bool) -> Seller:
    """A supplier registers, is audited and enrolled in Trade Assurance, and lists a TA product."""
    run = uuid.uuid4().hex[:8]
    supplier_id = f"sup-{run}"
    supplier = client.token(supplier_id, "supplier")
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
    product_id = str((await client.call("catalog", "POST", "/v1/products", token=supplier, json=terms))["id"])
    return Seller(
        client=client,
        run=run,
        supplier_id=supplier_id,
        supplier=supplier,
        product_id=product_id,
        mediator=client.token(f"mediator-{run}", "ops:mediator"),
        finance=client.token(f"fin-{run}", "ops:finance"),
    )


async def buy(
    driver: Driver, buyer: str, product_id: str, *, quantity: int = QUANTITY, destination: str = "US"
) -> tuple[dict[str, Any], str]:
    """Quote, order, pay: the quote and the order id of a funded order (funding is awaited by the caller)."""
    quoted = await quote(driver, buyer, product_id, quantity, destination)
    placed = await place_order(driver, buyer, quoted["token"])
    order_id = str(placed["order_id"])
    await provider_captures(driver, await open_payment(driver, buyer, order_id))
    return quoted["quote"], order_id


async def paid_order(seller: Seller) -> Trade:
    """A new buyer finds the seller's product, gets a quote to the US, orders and pays (sandbox)."""
    client = seller.client
    driver = Direct(client)
    buyer_id = f"buyer-{uuid.uuid4().hex[:8]}"
    buyer = client.token(buyer_id, "buyer", "standard")
    await find_product(driver, buyer, f"kettle{seller.run}", seller.product_id)
    quoted, order_id = await buy(driver, buyer, seller.product_id)
    total = int(quoted["total"]["amount"])
    shipping = int((quoted.get("shipping") or money(0))["amount"])
    assert total == int(quoted["unit_price"]["amount"]) * QUANTITY + shipping, quoted
    await order_reaches(driver, seller.finance, order_id, "funded")
    return Trade(
        seller=seller, buyer_id=buyer_id, buyer=buyer, order_id=order_id, total=total, shipping=shipping
    )
