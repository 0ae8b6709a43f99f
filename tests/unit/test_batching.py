"""A consumer applies the deliveries of one burst in one transaction, lingering for them only from idle."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from shared.messaging.batching import Batcher, Delivery
from shared.metrics import MessageOutcome


class Applied:
    """Stands in for the consumer's transactions: records each batch's size."""

    def __init__(self) -> None:
        self.batches: list[int] = []

    async def batch(self, deliveries: list[Delivery]) -> dict[Delivery, MessageOutcome]:
        self.batches.append(len(deliveries))
        return dict.fromkeys(deliveries, "handled")

    async def one(self, delivery: Delivery) -> MessageOutcome:
        self.batches.append(1)
        return "handled"


def delivery() -> Delivery:
    nothing = cast(Any, None)
    return Delivery(message=nothing, envelope=nothing, route=nothing, event=nothing, attempt=0)


async def burst(batcher: Batcher, size: int) -> list[MessageOutcome]:
    """`size` deliveries arriving one event-loop turn apart, as a burst's messages do."""

    async def arrive(turns: int) -> MessageOutcome:
        for _ in range(turns):
            await asyncio.sleep(0)
        return await batcher.submit(delivery())

    return list(await asyncio.gather(*(arrive(turns) for turns in range(size))))


async def test_a_burst_arriving_within_the_linger_is_applied_in_one_transaction() -> None:
    applied = Applied()
    batcher = Batcher(applied.batch, applied.one, max_batch=32, linger_seconds=0.05)

    assert await burst(batcher, 3) == ["handled"] * 3
    assert applied.batches == [3]


async def test_without_a_linger_the_first_delivery_from_idle_goes_alone() -> None:
    applied = Applied()
    batcher = Batcher(applied.batch, applied.one, max_batch=32)

    assert await burst(batcher, 3) == ["handled"] * 3
    assert applied.batches[0] == 1
    assert sum(applied.batches) == 3


async def test_a_full_batch_does_not_linger() -> None:
    applied = Applied()
    # A linger no test would wait out: a batch already full when it starts must not wait for more.
    batcher = Batcher(applied.batch, applied.one, max_batch=2, linger_seconds=3600)

    async with asyncio.timeout(5):
        outcomes = await asyncio.gather(batcher.submit(delivery()), batcher.submit(delivery()))
    assert list(outcomes) == ["handled", "handled"]
    assert applied.batches == [2]
