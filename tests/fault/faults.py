"""Strikes a chaos plan's faults at the local stack's processes and at the broker, one after another."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import signal
import time
from dataclasses import dataclass, field
from functools import partial

from deploy.local.processes import ManagedProcess, port_open, wait_until
from deploy.local.rabbitmqctl import RabbitmqctlError, rabbitmqctl, rabbitmqctl_output
from deploy.local.stack import LocalStack
from tests.fault.plan import Fault, FaultKind

RABBITMQCTL_TIMEOUT = 90.0  # stop_app / start_app on a loaded node take a while


class BrokerControl:
    """The local RabbitMQ node, driven through rabbitmqctl as an operator (or an outage) would."""

    def __init__(self, vhost: str, host: str = "127.0.0.1", port: int = 5672) -> None:
        if shutil.which("rabbitmqctl") is None:
            raise RuntimeError("the chaos suite needs rabbitmqctl for the local RabbitMQ node")
        self.vhost = vhost
        self.host = host
        self.port = port

    async def _run(self, *args: str) -> None:
        await rabbitmqctl(*args, timeout=RABBITMQCTL_TIMEOUT)

    async def bindings(self) -> list[dict[str, str]]:
        """Every binding of the vhost: source exchange, destination and its kind, routing key."""
        columns = ("source_name", "destination_name", "destination_kind", "routing_key")
        listed = await rabbitmqctl_output(
            "list_bindings", "-p", self.vhost, *columns, "--formatter", "json", timeout=RABBITMQCTL_TIMEOUT
        )
        rows: list[dict[str, str]] = json.loads(listed)
        return rows

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
                replica = self._replica(fault)
                await replica.kill()
                await asyncio.sleep(fault.hold)
                await self.stack.restart(replica.name)
            case FaultKind.PAUSE:
                await self._paused(self._replica(fault), fault.hold)
            case FaultKind.DB_KILL:
                service = self._target(fault)
                await self.stack.database_of(service).kill()
                await asyncio.sleep(fault.hold)
                await self.stack.restart_database(service)
                # Over when the service says it is ready again: it noticed by itself, nobody restarted it.
                await self.stack.wait_ready(service)
            case FaultKind.DB_PAUSE:
                service = self._target(fault)
                await self._paused(self.stack.database_of(service), fault.hold)
                await self.stack.wait_ready(service)
            case FaultKind.DROP_CONNECTIONS:
                await self.broker.drop_connections()
            case FaultKind.BROKER_RESTART | FaultKind.BROKER_OUTAGE:
                await self.broker.stop_app()
                try:
                    await asyncio.sleep(fault.hold)
                finally:
                    await self.broker.start_app()

    def _target(self, fault: Fault) -> str:
        assert fault.target is not None, f"{fault.kind} strikes a service"
        return fault.target

    def _replica(self, fault: Fault) -> ManagedProcess:
        replicas = self.stack.replicas_of(self._target(fault))
        return replicas[fault.replica % len(replicas)]

    async def _paused(self, process: ManagedProcess, hold: float) -> None:
        process.signal(signal.SIGSTOP)
        try:
            await asyncio.sleep(hold)
        finally:
            process.signal(signal.SIGCONT)

    async def heal(self) -> None:
        """Whatever happened to the run, leave every database and service running and the broker up."""
        with contextlib.suppress(RabbitmqctlError):
            await self.broker.start_app()
        for service in self.stack.ports:
            if self.stack.mongo_url is None:
                self.stack.database_of(service).signal(signal.SIGCONT)
                await self.stack.restart_database(service)
            for replica in self.stack.replicas_of(service):
                replica.signal(signal.SIGCONT)
                if not replica.running:
                    await self.stack.restart(replica.name)
