"""Order journeys as patient clients drive them through faults: every mutation keeps its Idempotency-Key
across retries, so a request that died with a service is retried, never doubled."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from deploy.journey import QUANTITY, Seller
from deploy.local.client import CallFailed, PlatformClient
from deploy.local.polling import eventually
from tests.fault.plan import JourneyKind

REQUEST_TIMEOUT = 10.0  # a paused service holds requests; give up on one and retry
RETRY_INTERVAL = 0.5
POLL_INTERVAL = 0.5
# Answers that mean "not yet": the first attempt still holds the key (its process may have died, and
# its lease must run out first).
RETRYABLE_PROBLEMS = frozenset({"idempotency-request-in-progress"})


class JourneyStuck(AssertionError):
    """A journey did not get where it had to within its patience."""


@dataclass
class Caller:
    """Retries each call through connection errors, timeouts and 5xx until its patience runs out."""

    client: PlatformClient
    patience: float
    retries: int = 0

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json: Any = None,
        done_if: frozenset[str] = frozenset(),
        expect: int | tuple[int, ...] = (200, 201, 202),
    ) -> Any:
        """`done_if`: problem types that mean an earlier, interrupted attempt already did the work."""
        key = uuid.uuid4().hex
        deadline = time.monotonic() + self.patience
        while True:
            try:
                return await self.client.call(
                    service,
                    method,
                    path,
                    token=token,
                    json=json,
                    expect=expect,
                    idempotency_key=key,
                    timeout=REQUEST_TIMEOUT,
                )
            except CallFailed as failure:
                if failure.problem_type in done_if:
                    return failure.body
                if failure.status < 500 and failure.problem_type not in RETRYABLE_PROBLEMS:
                    raise
                last: Exception = failure
            except (aiohttp.ClientError, TimeoutError) as error:
                last = error
            if time.monotonic() > deadline:
                raise JourneyStuck(f"{method} {service}{path} kept failing: {last!r}") from last
            self.retries += 1
            await asyncio.sleep(RETRY_INTERVAL)  # a client's back-off between attempts

    async def until(self, what: str, condition: Callable[[], Awaitable[bool]]) -> None:
        """Poll a read until it holds; errors while services are down count as 'not yet'."""

        async def holds() -> bool:
            try:
                return await condition()
            except (CallFailed, aiohttp.ClientError, TimeoutError):
                return False

        try:
            await eventually(holds, timeout=self.patience, interval=POLL_INTERVAL)
        except TimeoutError:
            raise JourneyStuck(f"still waiting for {what} after {self.patience:.0f}s") from None


@dataclass
class Journey:
    index: int
    kind: JourneyKind
    supplier: Seller
    buyer_id: str
    order_id: str | None = None
    total: int | None = None
    error: str | None = None
    finished_at: float | None = None
    steps: list[str] = field(default_factory=list)


async def drive(caller: Caller, journey: Journey) -> None:
    """One buyer's order from quote to the journey's terminal state; failures are recorded, not raised."""
    try:
        await _drive(caller, journey)
        journey.finished_at = time.monotonic()
    except Exception as error:
        journey.error = f"{type(error).__name__}: {error}"


async def _drive(caller: Caller, journey: Journey) -> None:
    client = caller.client
    buyer = client.token(journey.buyer_id, "buyer", "standard")
    supplier = client.token(journey.supplier.supplier_id, "supplier")
    finance = client.token("chaos-finance", "ops:finance")

    async def step(name: str) -> None:
        journey.steps.append(name)

    await step("quote")
    quoted = await caller.call(
        "catalog",
        "POST",
        "/v1/quotes",
        token=buyer,
        json={"product_id": journey.supplier.product_id, "quantity": QUANTITY, "destination": "US"},
    )
    total = journey.total = int(quoted["quote"]["total"]["amount"])
    await step("order")
    placed = await caller.call("escrow", "POST", "/v1/orders", token=buyer, json={"quote": quoted["token"]})
    order_id = journey.order_id = str(placed["order_id"])

    async def status_is(*statuses: str) -> bool:
        order = await client.call(
            "escrow", "GET", f"/v1/orders/{order_id}", token=finance, timeout=REQUEST_TIMEOUT
        )
        return str(order["status"]) in statuses

    async def open_payment() -> str:
        intent = await caller.call("escrow", "POST", f"/v1/orders/{order_id}/payments", token=buyer)
        return str(intent["intent_id"])

    async def capture(intent_id: str) -> None:
        # Settled by an attempt that died before answering: the provider redelivers its webhook itself.
        await caller.call(
            "escrow",
            "POST",
            f"/sandbox/payments/{intent_id}/succeed",
            json={},
            done_if=frozenset({"sandbox-intent-settled"}),
        )

    async def cancel() -> None:
        reason = {"reason": "changed my mind"}
        await caller.call("escrow", "POST", f"/v1/orders/{order_id}/cancel", token=buyer, json=reason)

    async def settled(status: str, *, paid: int) -> bool:
        order = await client.call(
            "escrow", "GET", f"/v1/orders/{order_id}", token=finance, timeout=REQUEST_TIMEOUT
        )
        return bool(order["status"] == status and order["paid"]["amount"] == paid)

    if journey.kind is JourneyKind.CANCEL_WHILE_PAYING:
        await step("pay and cancel")
        await asyncio.gather(capture(await open_payment()), cancel())
        # Cancelled first, the payment arrives after and is handed back; paid first, the cancel refunds it.
        await caller.until("order cancelled and paid", lambda: settled("cancelled", paid=total))
        return
    if journey.kind is not JourneyKind.CANCEL_UNPAID:
        await step("pay")
        await capture(await open_payment())
        await caller.until("order funded", lambda: status_is("funded"))
    if journey.kind is not JourneyKind.HAPPY:
        await step("cancel")
        await cancel()
        paid = 0 if journey.kind is JourneyKind.CANCEL_UNPAID else total
        await caller.until("order cancelled", lambda: settled("cancelled", paid=paid))
        return

    await step("ship")
    shipment: dict[str, Any] = {}

    async def shipment_opened() -> bool:
        found = await client.call(
            "logistics",
            "GET",
            f"/v1/orders/{order_id}/shipment",
            token=buyer,
            expect=(200, 404),
            timeout=REQUEST_TIMEOUT,
        )
        if found and found.get("shipment_id"):
            shipment.update(found)
            return True
        return False

    await caller.until("shipment opened", shipment_opened)
    shipment_id = shipment["shipment_id"]
    dispatch = {"carrier": "ups", "tracking_number": f"1Z{uuid.uuid4().hex[:12]}"}
    await caller.call(
        "logistics", "POST", f"/v1/shipments/{shipment_id}/dispatch", token=supplier, json=dispatch
    )
    await caller.until("order shipped", lambda: status_is("shipped"))

    await step("deliver")
    # The carrier retries its webhook with the same event id until our endpoint acknowledges it.
    delivered = {"status": "delivered", "event_id": f"evt-delivered-{order_id}"}

    async def carrier_acknowledged() -> bool:
        tracked = await client.call(
            "logistics",
            "POST",
            f"/sandbox/shipments/{shipment_id}/tracking",
            json=delivered,
            expect=200,
            timeout=REQUEST_TIMEOUT,
        )
        return all(status < 300 for status in tracked["statuses"])

    await caller.until("carrier webhook acknowledged", carrier_acknowledged)
    await caller.until("order delivered", lambda: status_is("delivered"))

    await step("confirm")
    await caller.call("escrow", "POST", f"/v1/orders/{order_id}/confirm-receipt", token=buyer)
    await caller.until("order completed", lambda: status_is("completed"))
