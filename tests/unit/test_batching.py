"""The consumer's batcher: a message arriving while another's transaction is in flight need not wait."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import ClassVar, cast

from aio_pika.abc import AbstractIncomingMessage

from shared.messaging.batching import Batcher, Delivery
from shared.messaging.envelope import Envelope, Event
from shared.messaging.subscription import Route
from shared.metrics import MessageOutcome


class Noted(Event):
    TYPE: ClassVar[str] = "toy.noted"
    name: str


def delivery(name: str) -> Delivery:
    event = Noted(name=name)
    envelope = Envelope.wrap(event, occurred_at=datetime(2026, 1, 1, tzinfo=UTC), correlation_id=name)

    async def no_handler(*_: object) -> None:
        raise AssertionError("the batcher never calls handlers itself")

    # The batcher never touches the broker message: the consumer acks it.
    return Delivery(cast(AbstractIncomingMessage, None), envelope, Route(Noted, no_handler), event, 0)


async def test_a_message_is_applied_while_an_earlier_one_is_still_in_its_transaction() -> None:
    slow_may_finish = asyncio.Event()

    async def apply_one(applying: Delivery) -> MessageOutcome:
        if cast(Noted, applying.event).name == "slow":
            await slow_may_finish.wait()
        return "handled"

    async def apply_batch(batch: list[Delivery]) -> dict[Delivery, MessageOutcome]:
        return {each: await apply_one(each) for each in batch}

    batcher = Batcher(apply_batch, apply_one, max_batch=32, runners=2)
    slow = asyncio.create_task(batcher.submit(delivery("slow")))
    await asyncio.sleep(0)  # the slow message's transaction is under way

    assert await asyncio.wait_for(batcher.submit(delivery("quick")), timeout=5) == "handled"
    assert not slow.done()
    slow_may_finish.set()
    assert await slow == "handled"


async def test_messages_waiting_while_every_runner_is_busy_share_the_next_batch() -> None:
    release = asyncio.Event()
    batches: list[list[str]] = []

    async def apply_batch(batch: list[Delivery]) -> dict[Delivery, MessageOutcome]:
        batches.append([cast(Noted, each.event).name for each in batch])
        return dict.fromkeys(batch, "handled")

    async def apply_one(applying: Delivery) -> MessageOutcome:
        batches.append([cast(Noted, applying.event).name])
        await release.wait()
        return "handled"

    batcher = Batcher(apply_batch, apply_one, max_batch=32, runners=1)
    first = asyncio.create_task(batcher.submit(delivery("first")))
    await asyncio.sleep(0)
    waiting = [asyncio.create_task(batcher.submit(delivery(f"w{index}"))) for index in range(3)]
    await asyncio.sleep(0)
    release.set()

    assert await asyncio.gather(first, *waiting) == ["handled"] * 4
    assert batches == [["first"], ["w0", "w1", "w2"]]
