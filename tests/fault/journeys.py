"""Order journeys as patient clients drive them through faults: every mutation keeps its Idempotency-Key
across retries, so a request that died with a service is retried, never doubled."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from deploy.journey import Journey, Pace, Seller
from deploy.local.client import CallFailed, PlatformClient
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

    def token(self, sub: str, role: str, tier: str | None = None) -> str:
        return self.client.token(sub, role, tier)

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
    ) -> Any:
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
                    params=params,
                    expect=expect,
                    idempotency_key=key,
                    timeout=REQUEST_TIMEOUT,
                )
            except CallFailed as failure:
                if failure.status < 500 and failure.problem_type not in RETRYABLE_PROBLEMS:
                    raise
                last: Exception = failure
                wait = max(RETRY_INTERVAL, failure.retry_after or 0.0)
            except (aiohttp.ClientError, TimeoutError) as error:
                last = error
                wait = RETRY_INTERVAL
            if time.monotonic() > deadline:
                raise JourneyStuck(f"{method} {service}{path} kept failing: {last!r}") from last
            self.retries += 1
            # A client's back-off between attempts, as long as the service asked for (`Retry-After`): a
            # crowd retrying a struggling database faster than it asked keeps it struggling.
            await asyncio.sleep(wait)


@dataclass
class PlannedJourney:
    """One buyer of the chaos plan: what it does, and how far it got."""

    index: int
    kind: JourneyKind
    supplier: Seller
    buyer_id: str
    journey: Journey | None = None
    error: str | None = None
    finished_at: float | None = None
    # A cancel-while-paying journey whose cancel landed before its payment intent could be made.
    paid_nothing: bool = False
    steps: list[str] = field(default_factory=list)

    @property
    def order_id(self) -> str | None:
        return self.journey.order_id if self.journey and self.journey.order_id else None

    @property
    def total(self) -> int | None:
        return self.journey.total if self.journey and self.journey.quote else None


@dataclass
class Logged(Pace):
    """Patient waits; each step is written down, to tell where a stuck journey stopped."""

    steps: list[str] = field(default_factory=list)

    def step(self, name: str, journey: Journey) -> None:
        self.steps.append(name)


async def drive(caller: Caller, planned: PlannedJourney) -> None:
    """One buyer's order from quote to the journey's terminal state; failures are recorded, not raised."""
    try:
        await _drive(caller, planned)
        planned.finished_at = time.monotonic()
    except Exception as error:
        planned.error = f"{type(error).__name__}: {error}"


async def _drive(caller: Caller, planned: PlannedJourney) -> None:
    pace = Logged(patience=caller.patience, interval=POLL_INTERVAL, steps=planned.steps)
    seller = planned.supplier
    journey = planned.journey = Journey(
        caller, planned.buyer_id, seller.supplier_id, seller.product_id, pace=pace
    )
    if planned.kind is JourneyKind.HAPPY:
        await journey.happy_path()
        return
    await journey.place_order()
    if planned.kind is JourneyKind.CANCEL_WHILE_PAYING:
        intent_made, _ = await asyncio.gather(_pay_unless_cancelled(journey), journey.cancel())
        planned.paid_nothing = not intent_made
        # Cancelled first, the payment arrives after and is handed back; paid first, the cancel refunds it;
        # cancelled before the payment intent was made, nothing is paid at all.
        await journey.reaches("cancelled", paid=journey.total if intent_made else 0)
        return
    if planned.kind is JourneyKind.CANCEL_PAID:
        await journey.pay()
        await journey.reaches("funded")
    await journey.cancel()
    paid = 0 if planned.kind is JourneyKind.CANCEL_UNPAID else journey.total
    await journey.reaches("cancelled", paid=paid)


async def _pay_unless_cancelled(journey: Journey) -> bool:
    """Pay; False when the cancel won the race before the payment intent was made (409: nothing to pay)."""
    try:
        await journey.pay()
    except CallFailed as failure:
        # The order's ledger, read afterwards, still tells whether anything was paid.
        if failure.problem_type != "transition-not-allowed":
            raise
        return False
    return True
