"""The relay's lease: one holder at a time, renewed only once half of it has run, taken over when it runs
out or is released, and taken back at once by a replica restarted under the same name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.database import AsyncDatabase

from shared.clock import ManualClock
from shared.messaging.lease import LEASES, Lease
from shared.mongo import Document

START = datetime(2026, 3, 1, tzinfo=UTC)
PERIOD = timedelta(seconds=10)


def replica(db: AsyncDatabase[Document], name: str, clock: ManualClock) -> Lease:
    return Lease(db[LEASES], "outbox-relay", name, period_seconds=PERIOD.total_seconds(), clock=clock)


async def stored_expiry(db: AsyncDatabase[Document]) -> datetime:
    document = await db[LEASES].find_one({"_id": "outbox-relay"})
    assert document is not None
    expires_at: datetime = document["expires_at"]
    return expires_at.replace(tzinfo=UTC)


async def test_one_replica_holds_the_lease_until_it_runs_out_and_then_another_takes_it(
    db: AsyncDatabase[Document],
) -> None:
    clock = ManualClock(START)
    first, second = replica(db, "escrow-1", clock), replica(db, "escrow-2", clock)

    assert await first.hold()
    assert not await second.hold()

    # Just before it runs out (the holder not renewing: it died), still nobody else
    clock.advance(PERIOD - timedelta(milliseconds=1))
    assert not await second.hold()

    # Once it has run out, the other replica takes it, and the old holder finds out when it next asks
    clock.advance(timedelta(milliseconds=1))
    assert await second.hold()
    assert not await first.hold()
    assert not first.held


async def test_the_holder_renews_only_once_half_of_the_lease_has_run(db: AsyncDatabase[Document]) -> None:
    clock = ManualClock(START)
    holder = replica(db, "escrow-1", clock)
    assert await holder.hold()

    # Within the first half, holding costs no round trip: the stored expiry does not move
    clock.advance(PERIOD / 2 - timedelta(milliseconds=1))
    assert await holder.hold()
    assert await stored_expiry(db) == START + PERIOD
    assert holder.seconds_until_renewal() == 0.001

    # From half-way on, holding renews it for a whole period from now
    clock.advance(timedelta(milliseconds=1))
    assert await holder.hold()
    assert await stored_expiry(db) == clock.now() + PERIOD


async def test_a_released_lease_is_taken_over_at_once(db: AsyncDatabase[Document]) -> None:
    clock = ManualClock(START)
    first, second = replica(db, "escrow-1", clock), replica(db, "escrow-2", clock)
    assert await first.hold()

    await first.release()

    assert await second.hold()
    assert not first.held


async def test_a_replica_restarted_under_its_name_takes_its_lease_back_at_once(
    db: AsyncDatabase[Document],
) -> None:
    clock = ManualClock(START)
    assert await replica(db, "escrow-1", clock).hold()

    # The process died holding the lease; its successor under the same replica name need not wait it out
    restarted = replica(db, "escrow-1", clock)

    assert await restarted.hold()
    assert not await replica(db, "escrow-2", clock).hold()
