"""Outbox relay: publishes unsent outbox rows in batches, marks them sent after the broker confirms."""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import timedelta

import structlog
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from shared.clock import Clock
from shared.messaging.lease import Lease
from shared.messaging.outbox import OUTBOX, domain_event_fields
from shared.messaging.publisher import Publisher, PublishFailed
from shared.messaging.topology import persistent_message
from shared.metrics import PlatformMetrics
from shared.mongo import Document

log = structlog.get_logger(__name__)


class OutboxRelay:
    """Never gives up: a row stays unsent until the broker confirms it, retried with capped back-off.

    Every replica publishes the rows its own transactions commit: the outbox hands them over in process
    right after the commit (`Outbox.on_commit`), and they leave at once, without being read back. A row
    whose publish failed is deferred by a back-off and retried by the same replica, which reads its own
    rows back (by `writer`, the replica's name) every `sweep_seconds`, and at once when it starts: a
    replica restarted under its name publishes what its previous run left unsent.
    The replica holding the relay's lease also sweeps for rows no writer took care of: unsent
    `orphan_seconds` past their due time, their writer died or stalled. So no event waits for another
    process: when only the holder published, a row another replica wrote waited for the holder's change
    stream (its answer, and a rest of up to 0.2 s), and every write cost the database a scan of it for
    that stream.

    Publishing is at-least-once (a crash after the confirm and before the mark republishes; a writer
    stalled past `orphan_seconds` publishes what the sweep already did); consumers deduplicate by message
    id. Confirmed rows are marked sent together, `mark_delay_seconds` after the first of them, in one write
    (`_Marks`): a mark per pass cost the busiest services a round trip for every event or two. A read of
    the outbox marks what is waiting first, so it never returns a row this process already confirmed.
    """

    def __init__(
        self,
        db: AsyncDatabase[Document],
        publisher: Publisher,
        clock: Clock,
        metrics: PlatformMetrics,
        *,
        lease: Lease,
        writer: str,
        batch_size: int = 200,
        sweep_seconds: float = 5.0,
        orphan_seconds: float = 5.0,
        max_backoff_seconds: float = 30.0,
        mark_delay_seconds: float = 0.5,
    ) -> None:
        self._outbox = db[OUTBOX]
        self._publisher = publisher
        self._clock = clock
        self._metrics = metrics
        self._lease = lease
        # The `writer` of the rows this replica's outbox writes (`Outbox.writer`, its name): its own to retry.
        self._writer = writer
        self._batch_size = batch_size
        self._sweep_seconds = sweep_seconds
        self._orphan = timedelta(seconds=orphan_seconds)
        self._max_backoff = max_backoff_seconds
        self._wake = asyncio.Event()
        # Rows this process committed, handed over by the outbox: a pass publishes them without reading
        # them back. Any other pass (start, sweep, after a failure, a full batch) reads the outbox.
        self._committed: list[Document] = []
        self._read_needed = True
        # What the last read returned: a row handed over only after the read saw it is not published twice.
        self._last_read: set[str] = set()
        self._marks = _Marks(self._outbox, clock, delay_seconds=mark_delay_seconds, batch_size=batch_size)
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._publish_loop(), name="outbox-relay"),
            asyncio.create_task(self._marks.run(self._max_backoff), name="outbox-marks"),
        ]

    def wake(self) -> None:
        """Rows may be due that this process did not hand over: the next pass reads the outbox."""
        self._read_needed = True
        self._wake.set()

    def committed(self, row: Document) -> None:
        """A row this process just committed (`Outbox.on_commit`): the next pass publishes it as is."""
        if row["_id"] in self._last_read:
            return  # the read that just ran saw it: its pass publishes it
        if len(self._committed) < self._batch_size:
            self._committed.append(row)
        else:  # more than a pass carries: read them back in order instead of holding them
            self._committed.clear()
            self._read_needed = True
        self._wake.set()

    async def stop(self, *, flush_timeout: float = 10.0) -> None:
        """Stop the loops, then publish what is already due so a clean shutdown leaves nothing behind."""
        self._stopping = True
        self.wake()
        for task in self._tasks:
            task.cancel()
        # A pass or a mark cancelled mid-write waits for a database that may not answer: wait for the loops
        # within the time given, never beyond (nor swallow a cancel).
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=flush_timeout)
        with contextlib.suppress(TimeoutError, PublishFailed, PyMongoError):
            async with asyncio.timeout(flush_timeout):
                while await self.publish_due() == self._batch_size:
                    pass
                await self._marks.flush()
                # Another replica sweeps now rather than when the lease runs out.
                await self._lease.release()

    async def publish_due(self) -> int:
        """One pass: publish up to one batch of due rows (this process's, and the orphans it sweeps while
        it holds the lease); returns how many were confirmed."""
        rows = await self._due_rows()
        if not rows:
            return 0
        outcomes = await asyncio.gather(*(self._publish(row) for row in rows), return_exceptions=True)
        confirmed = [row["_id"] for row, outcome in zip(rows, outcomes, strict=True) if outcome is None]
        failed = [row for row, outcome in zip(rows, outcomes, strict=True) if outcome is not None]
        if confirmed:
            self._marks.add(confirmed)
            self._metrics.outbox_published.inc(len(confirmed))
        if failed:
            await self._defer(failed, outcomes)
        return len(confirmed)

    async def _due_rows(self) -> list[Document]:
        """The rows this process handed over, or else (or when others may be due) the outbox's due rows."""
        if self._committed and not self._read_needed:
            rows, self._committed = self._committed, []
            return rows
        # A read must not return rows confirmed but not marked yet: it would publish them again.
        await self._marks.flush()
        self._read_needed = False
        now = self._clock.now()
        due: Document = {"writer": self._writer, "due_at": {"$lte": now}}
        sweeping = await self._lease.hold()
        self._metrics.outbox_relay_lease_held.set(int(sweeping))
        if sweeping:
            due = {"$or": [due, {"due_at": {"$lte": now - self._orphan}}]}
        rows = (
            await self._outbox.find({"sent": False, **due})
            .sort([("due_at", ASCENDING), ("seq", ASCENDING)])
            .limit(self._batch_size)
            .to_list()
        )
        # The sweeper reports the backlog (what waits longer than a writer takes, and its own rows); a stale
        # figure elsewhere would page for a backlog long gone. Beyond one batch the read cannot tell how
        # many wait, so they are counted (the alert's threshold is five batches).
        pending = len(rows)
        if sweeping and pending == self._batch_size:
            pending = await self._outbox.count_documents({"sent": False, **due})
        self._metrics.outbox_pending.set(pending if sweeping else 0)
        # Rows handed over before or during the read that it returned go now, once; those it did not
        # return (beyond the batch, or committed after it) stay handed over for the next pass.
        self._last_read = {row["_id"] for row in rows}
        self._committed = [row for row in self._committed if row["_id"] not in self._last_read]
        return rows

    async def _publish(self, row: Document) -> None:
        envelope = row["envelope"]
        message = persistent_message(
            json.dumps(envelope, separators=(",", ":")).encode(),
            message_id=envelope["message_id"],
            message_type=envelope["type"],
            correlation_id=envelope["correlation_id"],
        )
        await self._publisher.publish(row["exchange"], row["routing_key"], message)
        # One line per committed domain event: the ops dashboards and the terminal ops view read these.
        log.info("domain_event", **domain_event_fields(envelope))

    async def _defer(self, failed: list[Document], outcomes: list[BaseException | None]) -> None:
        """Push failed rows back by a back-off that grows with their attempts, so others are not blocked."""
        self._metrics.outbox_publish_failures.inc(len(failed))
        attempts = max(row["attempts"] for row in failed) + 1
        delay = min(self._max_backoff, 0.2 * 2 ** min(attempts, 10))
        errors = {repr(outcome) for outcome in outcomes if outcome is not None}
        log.warning("outbox_publish_failed", count=len(failed), attempts=attempts, errors=sorted(errors)[:3])
        await self._outbox.update_many(
            {"_id": {"$in": [row["_id"] for row in failed]}},
            {"$inc": {"attempts": 1}, "$set": {"due_at": self._clock.now() + timedelta(seconds=delay)}},
        )

    async def _publish_loop(self) -> None:
        failures = 0
        while not self._stopping:
            self._wake.clear()
            try:
                published = await self.publish_due()
                failures = 0
            except (PyMongoError, PublishFailed) as error:
                failures += 1
                published = 0
                self._read_needed = True  # rows handed over may not have been marked sent
                log.warning("outbox_relay_pass_failed", error=repr(error), failures=failures)
                await asyncio.sleep(min(self._max_backoff, 0.2 * 2 ** min(failures, 10)))
                continue
            if published == self._batch_size:
                self._read_needed = True
                continue  # more rows are waiting: no pause between full batches
            # A holder comes back in time to renew, so the lease does not wander; another replica tries for
            # it every sweep (or half lease).
            rest = self._sweep_seconds
            if self._lease.held:
                rest = min(rest, self._lease.seconds_until_renewal())
            else:
                rest = min(rest, self._lease.period_seconds / 2)
            try:
                async with asyncio.timeout(rest):
                    await self._wake.wait()
            except TimeoutError:
                self._read_needed = True  # the sweep: deferred rows, orphans, whatever a hand-over missed
            # No lingering for more commits: rows committed while a pass runs wake the next one, so a
            # burst is carried in batches anyway, and a lone event leaves at once.


class _Marks:
    """Confirmed rows waiting to be marked sent: marked together in one write, `delay_seconds` after the
    first of them (at once once a batch is waiting), or whenever the relay flushes them (before it reads
    the outbox, on stop). A row whose mark is lost (a crash, a failed write) stays unsent
    and is published again; consumers deduplicate it."""

    def __init__(
        self, outbox: AsyncCollection[Document], clock: Clock, *, delay_seconds: float, batch_size: int
    ) -> None:
        self._outbox = outbox
        self._clock = clock
        self._delay = delay_seconds
        self._batch_size = batch_size
        self._waiting: set[str] = set()
        self._added = asyncio.Event()
        self._full = asyncio.Event()
        # One write at a time: a flush that waited marks only what the one before it left.
        self._writing = asyncio.Lock()

    def add(self, confirmed: list[str]) -> None:
        self._waiting.update(confirmed)
        self._added.set()
        if len(self._waiting) >= self._batch_size:
            self._full.set()

    async def flush(self) -> None:
        """Mark every row waiting now (raises when the database does not answer: they stay waiting)."""
        async with self._writing:
            if not self._waiting:
                return
            marking = list(self._waiting)
            await self._outbox.update_many(
                {"_id": {"$in": marking}}, {"$set": {"sent": True, "sent_at": self._clock.now()}}
            )
            self._waiting.difference_update(marking)
            if len(self._waiting) < self._batch_size:
                self._full.clear()

    async def run(self, max_backoff_seconds: float) -> None:
        failures = 0
        while True:
            await self._added.wait()
            # Marks of rows confirmed meanwhile join this write.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._delay):
                    await self._full.wait()
            self._added.clear()
            try:
                await self.flush()
                failures = 0
            except PyMongoError as error:
                failures += 1
                self._added.set()  # still waiting: try again after a back-off
                log.warning("outbox_mark_failed", error=repr(error), failures=failures)
                await asyncio.sleep(min(max_backoff_seconds, 0.2 * 2 ** min(failures, 10)))
