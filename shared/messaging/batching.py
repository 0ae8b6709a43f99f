"""Groups deliveries that are waiting at the same moment, so they share one MongoDB transaction.

No lingering: under light load a batch is one message (no added latency); under load, batches grow to
whatever arrived while the previous batch was being applied, up to `max_batch`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import structlog
from aio_pika.abc import AbstractIncomingMessage

from shared.messaging.envelope import Envelope, Event
from shared.messaging.subscription import Route
from shared.metrics import MessageOutcome

log = structlog.get_logger(__name__)


@dataclass(eq=False)
class Delivery:
    message: AbstractIncomingMessage
    envelope: Envelope
    route: Route[Any]
    event: Event
    attempt: int
    outcome: asyncio.Future[MessageOutcome] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


ApplyBatch = Callable[[list[Delivery]], Awaitable[dict[Delivery, MessageOutcome]]]
ApplyOne = Callable[[Delivery], Awaitable[MessageOutcome]]


class Batcher:
    def __init__(self, apply_batch: ApplyBatch, apply_one: ApplyOne, *, max_batch: int) -> None:
        self._apply_batch = apply_batch
        self._apply_one = apply_one
        self._max_batch = max_batch
        self._waiting: list[Delivery] = []
        self._runner: asyncio.Task[None] | None = None

    async def submit(self, delivery: Delivery) -> MessageOutcome:
        """Queue a delivery and wait for its outcome (handled, duplicate or failed)."""
        self._waiting.append(delivery)
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run())
        return await asyncio.shield(delivery.outcome)

    async def _run(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self._max_batch], self._waiting[self._max_batch :]
            try:
                await self._settle(batch)
            except BaseException as error:
                for delivery in batch:
                    if not delivery.outcome.done():
                        delivery.outcome.set_exception(error)
                raise

    async def _settle(self, batch: list[Delivery]) -> None:
        if len(batch) > 1:
            try:
                outcomes = await self._apply_batch(batch)
            except Exception as error:
                log.info("batch_failed_retrying_alone", size=len(batch), error=repr(error))
            else:
                for delivery, outcome in outcomes.items():
                    delivery.outcome.set_result(outcome)
                return
        for delivery in batch:
            delivery.outcome.set_result(await self._apply_one(delivery))
