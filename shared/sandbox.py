"""Sandbox test clock: one control endpoint moves every service's clock together, and due timers fire.

`POST /sandbox/clock/advance` records `sandbox.clock_advanced` (an absolute offset) through the outbox;
every service in sandbox mode subscribes to it and persists the offset in its database (`sandbox_clock`).
That stored offset is the truth for every replica of the service: the replica whose consumer took the
event moves its `TestClock` at once, and every replica follows the collection (it re-reads it every
`FOLLOW_SECONDS`), moving its clock and waking its timers. A change stream on it, as well, cost every
database a scan of each write (the relay no longer needs one) and a getMore per rest under load, to save a
replica that did not consume the event at most a second.
Only routed when `<SERVICE>_SANDBOX=true` (see `shared.http.app`), and only then is the test clock in use.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import timedelta
from typing import ClassVar

import structlog
from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field
from pymongo.errors import PyMongoError

from shared.clock import TestClock, UtcDateTime
from shared.http.routes import Api
from shared.messaging.envelope import Event
from shared.messaging.subscription import MessageContext, Subscription
from shared.mongo import Session
from shared.platform import Platform

SANDBOX_CLOCK = "sandbox_clock"
# How often a replica re-reads the stored offset (another replica's consumer may have moved it).
FOLLOW_SECONDS = 1.0

log = structlog.get_logger(__name__)


class ClockAdvanced(Event):
    TYPE: ClassVar[str] = "sandbox.clock_advanced"
    offset_seconds: float


class AdvanceClock(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seconds: int = Field(gt=0, le=400 * 24 * 3600, description="How far to jump ahead.")


class ClockView(BaseModel):
    offset_seconds: float
    now: UtcDateTime


class SandboxClock:
    """Wires the test clock of one service replica: its endpoint, its subscription, following the stored
    offset (a platform worker: `start`, `stop`)."""

    def __init__(self, platform: Platform, wake_timers: Callable[[], None]) -> None:
        if not isinstance(platform.clock, TestClock):
            raise TypeError("the sandbox clock needs the platform's TestClock (<SERVICE>_SANDBOX=true)")
        self._platform = platform
        self._clock: TestClock = platform.clock
        self._wake_timers = wake_timers
        self._tasks: list[asyncio.Task[None]] = []
        self.api = self._build_api()

    async def restore(self) -> None:
        """Catch up with the stored offset: the one reached before a restart, or another replica's."""
        stored = await self._platform.db[SANDBOX_CLOCK].find_one({"_id": "offset"})
        if stored is not None and self._clock.advance_to_offset(timedelta(seconds=stored["seconds"])):
            self._wake_timers()

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._follow(), name="sandbox-clock-follow")]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _follow(self) -> None:
        while True:
            try:
                await self.restore()
            except PyMongoError as error:
                log.warning("sandbox_clock_read_failed", error=repr(error))
            await asyncio.sleep(FOLLOW_SECONDS)

    def subscription(self) -> Subscription:
        return Subscription("sandbox-clock").on(ClockAdvanced, self._on_clock_advanced)

    async def _on_clock_advanced(self, context: MessageContext, event: ClockAdvanced) -> None:
        # $max: offsets only grow, whatever order the announcements arrive in.
        await self._platform.db[SANDBOX_CLOCK].update_one(
            {"_id": "offset"},
            {"$max": {"seconds": event.offset_seconds}},
            upsert=True,
            session=context.session,
        )
        if self._clock.advance_to_offset(timedelta(seconds=event.offset_seconds)):
            self._wake_timers()

    def _build_api(self) -> Api:
        api = Api("sandbox")
        clock = self._clock
        platform = self._platform

        @api.get("/sandbox/clock", response=ClockView, roles=None)
        async def read_clock(request: web.Request) -> ClockView:
            """This service's test-clock offset and current time."""
            return ClockView(offset_seconds=clock.offset.total_seconds(), now=clock.now())

        @api.post("/sandbox/clock/advance", body=AdvanceClock, response=ClockView, status=202, roles=None)
        async def advance_clock(request: web.Request, body: AdvanceClock) -> ClockView:
            """Move every service's clock ahead; poll each replica's `/sandbox/clock` to see it arrive."""
            target = clock.offset.total_seconds() + body.seconds

            async def announce(session: Session) -> None:
                await platform.record(session, ClockAdvanced(offset_seconds=target))

            await platform.transaction(announce)
            return ClockView(offset_seconds=target, now=clock.now() + timedelta(seconds=body.seconds))

        return api
