"""The buyer journey's steps over the public APIs, each a function of a `Driver`.

The end-to-end tests and the demo drive them directly (`Direct`), bench/lifecycle times each call, and the
chaos suite retries every call through faults.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from deploy.local.client import CallFailed, PlatformClient
from deploy.local.polling import eventually

QUANTITY = 200


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


async def timeline_of(driver: Driver, reader: str, order_id: str) -> list[dict[str, Any]]:
    """The order's timeline, oldest first; empty until escrow has recorded its first event (404 till then)."""
    path = f"/v1/orders/{order_id}/timeline"
    body = await driver.read("escrow", path, token=reader, expect=(200, 404))
    return list(body.get("entries", [])) if isinstance(body, dict) else []


SETTLED = frozenset({"sandbox-intent-settled"})


async def buy(
    driver: Driver, buyer: str, product_id: str, *, quantity: int = QUANTITY, destination: str = "US"
) -> tuple[dict[str, Any], str]:
    """Quote, order, pay: the quote and the order id of a funded order (funding is awaited by the caller)."""
    quoted = await quote(driver, buyer, product_id, quantity, destination)
    placed = await place_order(driver, buyer, quoted["token"])
    order_id = str(placed["order_id"])
    await provider_captures(driver, await open_payment(driver, buyer, order_id))
    return quoted["quote"], order_id
