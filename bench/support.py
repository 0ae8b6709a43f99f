"""Shared bench plumbing: real servers, a MongoDB command counter, and figures printed as one JSON line."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pymongo import AsyncMongoClient, monitoring

from deploy.local.servers import start_mongo_server
from shared.mongo import Document, connect


class CommandCounter(monitoring.CommandListener):
    """Counts MongoDB round trips (commands sent), per command name, while enabled."""

    def __init__(self) -> None:
        self.enabled = False
        self.by_command: dict[str, int] = {}

    @property
    def total(self) -> int:
        return sum(self.by_command.values())

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.enabled:
            self.by_command[event.command_name] = self.by_command.get(event.command_name, 0) + 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    @contextmanager
    def counting(self) -> Iterator[None]:
        self.by_command.clear()
        self.enabled = True
        try:
            yield
        finally:
            self.enabled = False


@asynccontextmanager
async def mongo_server(name: str) -> AsyncIterator[str]:
    """The URL of MONGO_URL's server when set, else of a fresh SecantusDB server for this bench (`name`
    prefixes its storage), stopped on the way out."""
    if url := os.environ.get("MONGO_URL"):
        yield url
        return
    server = start_mongo_server(Path(tempfile.mkdtemp(prefix=f"bench-{name}-")))
    try:
        yield server.url
    finally:
        server.stop()


@asynccontextmanager
async def mongo_client(name: str) -> AsyncIterator[AsyncMongoClient[Document]]:
    """A service-like client (`shared.mongo.connect`) of `mongo_server(name)`, closed on the way out."""
    async with mongo_server(name) as url:
        client = connect(url, app_name=f"bench-{name}")
        try:
            yield client
        finally:
            await client.close()


def install_command_counter() -> CommandCounter:
    """Register globally: applies to every client created afterwards (the platform's included)."""
    counter = CommandCounter()
    monitoring.register(counter)
    return counter


@dataclass
class Stopwatch:
    started: float = field(default_factory=time.perf_counter)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def report(name: str, figures: dict[str, object]) -> None:
    """Print the figures readably and as one JSON line (for bench/results and closing notes)."""
    print(f"\n== {name} ==", file=sys.stderr)
    for key, value in figures.items():
        print(f"  {key:<42} {value}", file=sys.stderr)
    print(json.dumps({"bench": name, **figures}, default=str))


__all__ = [
    "CommandCounter",
    "Stopwatch",
    "install_command_counter",
    "mongo_client",
    "mongo_server",
    "percentile",
    "report",
    "statistics",
]
