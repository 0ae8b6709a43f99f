"""Strikes a chaos plan's faults at the local stack's processes and at the broker, one after another."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from functools import partial

from deploy.local.processes import port_open, wait_until
from deploy.local.stack import LocalStack
from tests.fault.plan import Fault, FaultKind

RABBITMQCTL_TIMEOUT = 90.0


class BrokerControl:
    """The local RabbitMQ node, driven through rabbitmqctl as an operator (or an outage) would."""

    def __init__(self, vhost: str, host: str = "127.0.0.1", port: int = 5672) -> None:
        ctl = shutil.which("rabbitmqctl")
        if ctl is None:
            raise RuntimeError("the chaos suite needs rabbitmqctl for the local RabbitMQ node")
        self.ctl = ctl
        self.vhost = vhost
        self.host = host
        self.port = port

    async def _run(self, *args: str) -> None:
        await asyncio.to_thread(
            subprocess.run,
            [self.ctl, "-q", *args],
            check=True,
            capture_output=True,
            timeout=RABBITMQCTL_TIMEOUT,
        )

    async def drop_connections(self) -> None:
        await self._run("close_all_connections", "--vhost", self.vhost, "chaos: connections dropped")

    async def stop_app(self) -> None:
        await self._run("stop_app")

    async def start_app(self) -> None:
        await self._run("start_app")
        await wait_until(partial(port_open, self.host, self.port), 60, "RabbitMQ after start_app")


@dataclass
class StruckFault:
    fault: Fault
    struck_at: float  # seconds after the run started, as it happened
    took: float  # seconds until the fault was over (service ready again, broker back)


@dataclass
class FaultInjector:
    stack: LocalStack
    broker: BrokerControl
    struck: list[StruckFault] = field(default_factory=list)

    async def run(self, faults: tuple[Fault, ...], started: float) -> None:
        """Strike each fault at its time (or as soon as the one before it is over)."""
        for fault in faults:
            delay = started + fault.at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)  # the schedule itself: nothing to await but the time
            begin = time.monotonic()
            await self.strike(fault)
            self.struck.append(StruckFault(fault, begin - started, time.monotonic() - begin))

    async def strike(self, fault: Fault) -> None:
        match fault.kind:
            case FaultKind.KILL:
                assert fault.target is not None
                await self.stack.process(fault.target).kill()
                await asyncio.sleep(fault.hold)
                await self.stack.restart(fault.target)
            case FaultKind.PAUSE:
                assert fault.target is not None
                process = self.stack.process(fault.target)
                process.signal(signal.SIGSTOP)
                try:
                    await asyncio.sleep(fault.hold)
                finally:
                    process.signal(signal.SIGCONT)
            case FaultKind.DROP_CONNECTIONS:
                await self.broker.drop_connections()
            case FaultKind.BROKER_RESTART:
                await self.broker.stop_app()
                try:
                    await asyncio.sleep(fault.hold)
                finally:
                    await self.broker.start_app()

    async def heal(self) -> None:
        """Whatever happened to the run, leave every service running and the broker up."""
        with contextlib.suppress(subprocess.CalledProcessError):
            await self.broker.start_app()
        for service in self.stack.ports:
            process = self.stack.process(service)
            process.signal(signal.SIGCONT)
            if not process.running:
                await self.stack.restart(service)
