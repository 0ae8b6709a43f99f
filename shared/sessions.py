"""Transactions a dead process left open, ended by its peers within seconds instead of the database's minute.

A process killed inside a transaction (SIGKILL, out of memory, a lost node) leaves it open on the server,
holding its writes: every later writer of those documents meets a write conflict or waits, until the server
aborts it at the end of its transaction lifetime (`transactionLifetimeLimitSeconds`, 60 s by default). A
killed consumer's messages come back at once to its successor and meet exactly those writes.

So each process keeps a record in its service's database (`sessions`): the server sessions (lsids) its
transactions run in, and a heartbeat. A server session is recorded before the first transaction runs in it
(PyMongo pools and reuses server sessions, so that is one write per pooled session, not per transaction):
no transaction can be left open unrecorded. A record whose heartbeat stopped for `EXPIRY_BEATS` beats
belongs to a dead process: any peer ends its sessions with `killSessions` (a standard command a user may run
on its own sessions), which aborts their transactions, and removes the record. A process restarted under its
own replica name ends its predecessor's sessions as it starts.

A process paused longer than that (SIGSTOP, a stalled host) comes back to find its open transactions
aborted: they fail as transient errors and are retried whole, as after any write conflict; its next beat
writes its record whole again. A process that could not beat either (the database was away) reaps nobody on
its first beat back, since its peers could not beat for the same reason.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

import structlog
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from shared.mongo import Document, Session, before_transactions

log = structlog.get_logger(__name__)

SESSIONS = "sessions"
# Beats a record may miss before its process counts as dead: a pause of a few seconds (a slow host, a long
# garbage collection) must not cost a live process its transactions.
EXPIRY_BEATS = 5
# A pooled server session not used for a transaction this long leaves the record (PyMongo replaces the
# sessions it discards, so the record would otherwise grow for the life of the process).
FORGET_AFTER = timedelta(minutes=5)


class SessionRegistry:
    """This process's record of its server sessions, its heartbeat, and the reaping of dead peers' records."""

    def __init__(self, db: AsyncDatabase[Document], instance: str, *, heartbeat_seconds: float) -> None:
        self._records: AsyncCollection[Document] = db[SESSIONS]
        self._db = db
        self._instance = instance
        self._beat = heartbeat_seconds
        # lsid bytes → (lsid, when a transaction last started in it), on the wall clock: records are read by
        # peers on other hosts, and a sandbox test clock may be days ahead.
        self._used: dict[bytes, tuple[Document, datetime]] = {}
        self._task: asyncio.Task[None] | None = None
        self._last_beat = 0.0  # when this process last renewed its record, on the event loop's clock

    async def start(self) -> None:
        """End what a predecessor of the same name left open, record this process, and beat."""
        predecessor = await self._records.find_one({"_id": self._instance})
        if predecessor is not None:
            await self._end(predecessor)
        await self._records.update_one(
            {"_id": self._instance}, {"$set": {"lsids": [], "alive_until": self._alive_until()}}, upsert=True
        )
        self._last_beat = asyncio.get_running_loop().time()
        before_transactions(self._db.client, self.note)
        self._task = asyncio.create_task(self._run(), name=f"sessions-{self._instance}")

    async def stop(self) -> None:
        """Stop beating and remove the record (the client's close ends the sessions themselves)."""
        before_transactions(self._db.client, None)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(PyMongoError):
            await self._records.delete_one({"_id": self._instance})

    async def note(self, session: Session) -> None:
        """Called before each transaction: a server session not seen before is recorded first."""
        lsid: Document = dict(session.session_id)
        key = bytes(lsid["id"])
        fresh = key not in self._used
        self._used[key] = (lsid, _now())
        if fresh:
            await self._records.update_one(
                {"_id": self._instance},
                {"$addToSet": {"lsids": lsid}, "$set": {"alive_until": self._alive_until()}},
                upsert=True,
            )

    async def beat(self) -> None:
        """Renew this process's record, forget long-unused sessions, and end the sessions of dead peers."""
        now = _now()
        for key in [key for key, (_, used) in self._used.items() if now - used > FORGET_AFTER]:
            del self._used[key]
        # The whole list each beat: a record a peer removed (this process was paused) is whole again at once.
        lsids = [lsid for lsid, _ in self._used.values()]
        await self._records.update_one(
            {"_id": self._instance},
            {"$set": {"lsids": lsids, "alive_until": self._alive_until()}},
            upsert=True,
        )
        previous, self._last_beat = self._last_beat, asyncio.get_running_loop().time()
        if self._last_beat - previous > 2 * self._beat:
            # This process could not beat either (the database was away): neither could its peers, whose
            # records look expired for that alone. They get a beat to renew them first.
            return
        dead = self._records.find({"_id": {"$ne": self._instance}, "alive_until": {"$lt": now}})
        for record in await dead.to_list():
            await self._end(record)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._beat)
            try:
                await self.beat()
            except PyMongoError as error:
                # The database is away: nobody's transactions hold anything it will not drop itself.
                log.warning("session_heartbeat_failed", error=repr(error))

    async def _end(self, record: Document) -> None:
        lsids = list(record.get("lsids") or [])
        if lsids:
            # With the database's codec options: the lsids were read back as UUIDs under them.
            await self._db.command({"killSessions": lsids}, codec_options=self._db.codec_options)
        # Only the record as read: a process that was merely paused and beat again keeps its own.
        await self._records.delete_one({"_id": record["_id"], "alive_until": record["alive_until"]})
        log.warning("dead_process_sessions_ended", instance=record["_id"], sessions=len(lsids))

    def _alive_until(self) -> datetime:
        return _now() + timedelta(seconds=self._beat * EXPIRY_BEATS)


def _now() -> datetime:
    return datetime.now(UTC)
