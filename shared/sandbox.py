"""Sandbox test clock: one control endpoint moves every service's clock together, and due timers fire.

`POST /sandbox/clock/advance` records `sandbox.clock_advanced` (an absolute offset) through the outbox;
every service in sandbox mode subscribes to it, persists the offset and moves its `TestClock`.
Only routed when `<SERVICE>_SANDBOX=true` (see `shared.http.app`), and only then is the test clock in use.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import ClassVar

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from shared.clock import TestClock, UtcDateTime
from shared.http.routes import Api
from shared.messaging.envelope import Event
from shared.messaging.subscription import MessageContext, Subscription
from shared.mongo import Session
from shared.platform import Platform

SANDBOX_CLOCK = "sandbox_clock"


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
    """Wires the test clock of one service: its endpoint, its subscription, its start-up restore."""

    def __init__(self, platform: Platform, wake_timers: Callable[[], None]) -> None:
        if not isinstance(platform.clock, TestClock):
            raise TypeError("the sandbox clock needs the platform's TestClock (<SERVICE>_SANDBOX=true)")
        self._platform = platform
        self._clock: TestClock = platform.clock
        self._wake_timers = wake_timers
        self.api = self._build_api()

    async def restore(self) -> None:
        """Pick up the offset this service had reached before a restart."""
        stored = await self._platform.db[SANDBOX_CLOCK].find_one({"_id": "offset"})
        if stored is not None:
            self._clock.advance_to_offset(timedelta(seconds=stored["seconds"]))

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
            """Move every service's clock ahead; poll each `/sandbox/clock` to see it arrive."""
            target = clock.offset.total_seconds() + body.seconds

            async def announce(session: Session) -> None:
                await platform.record(session, ClockAdvanced(offset_seconds=target))

            await platform.transaction(announce)
            return ClockView(offset_seconds=target, now=clock.now() + timedelta(seconds=body.seconds))

        return api
