"""Round trips by calling site and by request kind: `bench.lifecycle --trace-round-trips` puts this directory
on the services' PYTHONPATH, so Python loads it at start-up in each service process (and only there: the
databases and the bench do not get that PYTHONPATH). It counts every MongoDB command by the project code
that sent it, and by what the process was doing (an HTTP route, a consumed event type, a timer, the relay),
and writes the counts into BENCH_ROUND_TRIPS_DIR when the process exits after its graceful shutdown.

A read is "repeated" when the same transaction (session and transaction number) already sent the same read
(collection and filter): a document read twice inside one unit of work. Reads outside a transaction are
not compared (a keep-alive connection serves many requests in one task, so nothing else delimits them).
"""

from __future__ import annotations

import atexit
import os
import sys
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

from pymongo import monitoring

CHECKOUT = Path(__file__).resolve().parents[2]
CHECKOUT_PREFIX = f"{CHECKOUT}/"
SITE_DEPTH = int(os.environ.get("BENCH_ROUND_TRIPS_DEPTH", "3"))  # innermost project frames shown per site
READS = frozenset({"find", "aggregate", "count", "distinct"})
TRANSACTIONS_KEPT = 4096


def _kind_of(frame: FrameType | None) -> str:
    """What this command is done for: the innermost frame holding an aiohttp request or a message context
    names it; else the outermost frame of the project (a timer's loop, the relay, start-up)."""
    outermost = "other"
    while frame is not None:
        local = frame.f_locals
        request = local.get("request")
        if request is not None and hasattr(request, "match_info") and hasattr(request, "method"):
            resource = request.match_info.route.resource
            return f"HTTP {request.method} {resource.canonical if resource is not None else request.path}"
        context = local.get("context")
        envelope = getattr(context, "envelope", None)
        if envelope is not None and hasattr(envelope, "type"):
            return f"event {envelope.type}"
        timer = local.get("self")
        if type(timer).__name__ == "DueTimer":
            return f"timer {getattr(timer, 'name', '?')}"
        filename = frame.f_code.co_filename
        if filename.startswith(CHECKOUT_PREFIX) and "/.venv/" not in filename:
            outermost = f"{filename.removeprefix(CHECKOUT_PREFIX)}:{frame.f_code.co_name}"
        frame = frame.f_back
    return outermost


class CallSites(monitoring.CommandListener):
    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        self.kinds: Counter[tuple[str, str]] = Counter()  # (kind, command) → round trips
        self.repeated: Counter[str] = Counter()  # kind → reads its task had already sent
        self._reads: dict[tuple[Any, Any], set[str]] = {}  # per transaction, the most recent ones only

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        # In asyncio the awaiting coroutines are on the stack too, so the handler that caused it shows.
        # Frames are walked by hand, without source lines: the trace must not be what a profile shows.
        ours: list[str] = []
        frame: FrameType | None = sys._getframe(1)
        while frame is not None and len(ours) < SITE_DEPTH:
            filename = frame.f_code.co_filename
            if filename.startswith(CHECKOUT_PREFIX) and "/.venv/" not in filename:
                ours.append(f"{filename.removeprefix(CHECKOUT_PREFIX)}:{frame.f_lineno}")
            frame = frame.f_back
        self.counts[(event.command_name, " < ".join(ours))] += 1
        kind = _kind_of(sys._getframe(1))
        self.kinds[(kind, event.command_name)] += 1
        if event.command_name in READS:
            self._note_read(kind, event)

    def _note_read(self, kind: str, event: monitoring.CommandStartedEvent) -> None:
        command = event.command
        if "txnNumber" not in command:
            return
        transaction = (repr(command.get("lsid")), command["txnNumber"])
        if transaction not in self._reads and len(self._reads) >= TRANSACTIONS_KEPT:
            del self._reads[next(iter(self._reads))]  # the oldest: long committed
        read = repr(
            (
                event.command_name,
                command.get(event.command_name),
                command.get("filter", command.get("pipeline")),
            )
        )
        seen = self._reads.setdefault(transaction, set())
        if read in seen:
            self.repeated[kind] += 1
        seen.add(read)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def write(self, directory: Path) -> None:
        service = Path(sys.argv[0]).parent.name  # python -m services.<name> runs .../<name>/__main__.py
        lines = [f"{count}\t{command}\t{site}" for (command, site), count in self.counts.most_common()]
        (directory / f"{service}.tsv").write_text("\n".join(lines) + "\n")
        kinds = [
            f"{count}\t{command}\t{kind}\t{self.repeated[kind]}"
            for (kind, command), count in self.kinds.most_common()
        ]
        (directory / f"{service}.kinds.tsv").write_text("\n".join(kinds) + "\n")


def install(directory: str) -> None:
    sites = CallSites()
    monitoring.register(sites)
    atexit.register(sites.write, Path(directory))


if os.environ.get("BENCH_ROUND_TRIPS_DIR"):
    install(os.environ["BENCH_ROUND_TRIPS_DIR"])
