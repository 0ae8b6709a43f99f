"""What a running local stack spent, read from outside: CPU time of each process (/proc), requests each
MongoDB-wire server answered (serverStatus) and messages each service published and consumed (/metrics).

Take a `StackReading` before and after a run; `spent` is the difference, attributed per process/service.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from deploy.local.stack import LocalStack
from shared.mongo import Document, connect

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Counters of the platform's /metrics (shared/metrics.py) that count broker messages.
PUBLISHED = "tradeguard_outbox_published_total"
HANDLED = "tradeguard_messages_handled_total"


async def queued_messages(vhost: str) -> int:
    """Messages ready or unacknowledged in the vhost's queues, but for those nobody drains meanwhile:
    parking lots, retry wait tiers and the unrouted-events queue."""
    listing = await asyncio.create_subprocess_exec(
        "rabbitmqctl",
        "-q",
        "list_queues",
        "-p",
        vhost,
        "name",
        "messages",
        "--no-table-headers",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    out, _ = await listing.communicate()
    total = 0
    for line in out.decode().splitlines():
        name, count = line.rsplit(maxsplit=1)
        if not (name.endswith((".parking-lot", ".unrouted")) or ".wait." in name):
            total += int(count)
    return total


def cpu_ms(pid: int) -> float:
    """User + system CPU time of a process so far. Fields 14 and 15 of /proc/<pid>/stat, after the
    command name, which may itself hold spaces (hence the split at the last ')')."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / CLOCK_TICKS


@dataclass
class StackReading:
    # per service's processes (escrow: its replicas together) and per database (mongo-escrow, ...)
    cpu_ms: dict[str, float] = field(default_factory=dict)
    mongo_requests: dict[str, int] = field(default_factory=dict)  # per service's server: numRequests
    mongo_ops: dict[str, dict[str, int]] = field(default_factory=dict)  # per service: opcounters
    published: dict[str, float] = field(default_factory=dict)  # per service: outbox messages confirmed
    handled: dict[str, dict[str, float]] = field(default_factory=dict)  # per service: consumed by outcome

    def spent(self, before: StackReading) -> StackReading:
        """What happened between `before` and this reading."""
        return StackReading(
            cpu_ms={name: ms - before.cpu_ms.get(name, 0.0) for name, ms in self.cpu_ms.items()},
            mongo_requests={
                name: count - before.mongo_requests.get(name, 0)
                for name, count in self.mongo_requests.items()
            },
            mongo_ops={
                name: {op: count - before.mongo_ops.get(name, {}).get(op, 0) for op, count in ops.items()}
                for name, ops in self.mongo_ops.items()
            },
            published={name: n - before.published.get(name, 0.0) for name, n in self.published.items()},
            handled={
                name: {
                    outcome: n - before.handled.get(name, {}).get(outcome, 0.0) for outcome, n in by.items()
                }
                for name, by in self.handled.items()
            },
        )


class StackMeters:
    """Reads a started `LocalStack` (with its own MongoDB servers, not a shared MONGO_URL)."""

    def __init__(self, stack: LocalStack, session: aiohttp.ClientSession) -> None:
        self.stack = stack
        self.session = session
        self.mongo = {
            service: connect(stack.database_url(service), app_name="bench-meters")
            for service in stack.mongo_ports
        }
        # A replica's CPU counts as its service's: `escrow-1` and `escrow-2` are escrow.
        self.service_of = {name: service for service in stack.ports for name in stack.replica_names(service)}

    def pids(self) -> dict[str, int]:
        return {
            process.name: process.process.pid
            for process in self.stack.processes
            if process.process is not None and process.running
        }

    async def read(self) -> StackReading:
        reading = StackReading()
        for name, pid in self.pids().items():
            owner = self.service_of.get(name, name)
            reading.cpu_ms[owner] = reading.cpu_ms.get(owner, 0.0) + cpu_ms(pid)
        statuses = await asyncio.gather(
            *(client.admin.command("serverStatus") for client in self.mongo.values())
        )
        metrics = await asyncio.gather(*(self._metrics(service) for service in self.stack.ports))
        for service, status in zip(self.mongo, statuses, strict=True):
            reading.mongo_requests[service] = _requests(status)
            reading.mongo_ops[service] = {
                op: int(count) for op, count in status.get("opcounters", {}).items()
            }
        for service, (published, handled) in zip(self.stack.ports, metrics, strict=True):
            reading.published[service] = published
            reading.handled[service] = handled
        return reading

    async def _metrics(self, service: str) -> tuple[float, dict[str, float]]:
        """Messages the service published and consumed: the sum over its replicas, each asked directly."""
        published, handled = 0.0, dict[str, float]()
        for name in self.stack.replica_names(service):
            async with self.session.get(f"{self.stack.replica_url(name)}/metrics") as response:
                text = await response.text()
            for family in text_string_to_metric_families(text):
                for sample in family.samples:
                    if sample.name == PUBLISHED:
                        published += sample.value
                    elif sample.name == HANDLED:
                        outcome = sample.labels.get("outcome", "?")
                        handled[outcome] = handled.get(outcome, 0.0) + sample.value
        return published, handled

    async def close(self) -> None:
        await asyncio.gather(*(client.close() for client in self.mongo.values()))


def _requests(status: Document) -> int:
    """Round trips the server answered; its own `serverStatus` call counts one."""
    return int(status.get("network", {}).get("numRequests", 0))
