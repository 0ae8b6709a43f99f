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

from deploy.journey import (
    QUANTITY,
    Seller,
    cancel,
    carrier_delivers,
    confirm_receipt,
    dispatch,
    open_payment,
    order_reaches,
    place_order,
    provider_captures,
    quote,
    shipment_opened,
)
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

    async def read(
        self,
        service: str,
        path: str,
        *,
        token: str | None = None,
        params: dict[str, str] | None = None,
        expect: int | tuple[int, ...] = 200,
    ) -> Any:
        """One attempt, bounded: a paused service holds requests, and `until` polls again."""
        return await self.client.call(
            service, "GET", path, token=token, params=params, expect=expect, timeout=REQUEST_TIMEOUT
        )

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
    steps = journey.steps

    steps.append("quote")
    quoted = await quote(caller, buyer, journey.supplier.product_id, QUANTITY)
    total = journey.total = int(quoted["quote"]["total"]["amount"])
    steps.append("order")
    order_id = journey.order_id = str((await place_order(caller, buyer, quoted["token"]))["order_id"])

    async def pay() -> None:
        await provider_captures(caller, await open_payment(caller, buyer, order_id))

    if journey.kind is JourneyKind.CANCEL_WHILE_PAYING:
        steps.append("pay and cancel")
        await asyncio.gather(pay(), cancel(caller, buyer, order_id))
        # Cancelled first, the payment arrives after and is handed back; paid first, the cancel refunds it.
        await order_reaches(caller, finance, order_id, "cancelled", paid=total)
        return
    if journey.kind is not JourneyKind.CANCEL_UNPAID:
        steps.append("pay")
        await pay()
        await order_reaches(caller, finance, order_id, "funded")
    if journey.kind is not JourneyKind.HAPPY:
        steps.append("cancel")
        await cancel(caller, buyer, order_id)
        paid = 0 if journey.kind is JourneyKind.CANCEL_UNPAID else total
        await order_reaches(caller, finance, order_id, "cancelled", paid=paid)
        return

    steps.append("ship")
    shipment_id = await shipment_opened(caller, buyer, order_id)
    await dispatch(caller, supplier, shipment_id)
    await order_reaches(caller, finance, order_id, "shipped")
    steps.append("deliver")
    await carrier_delivers(caller, shipment_id)
    await order_reaches(caller, finance, order_id, "delivered")
    steps.append("confirm")
    await confirm_receipt(caller, buyer, order_id)
    await order_reaches(caller, finance, order_id, "completed")
