"""Round trips by calling site: `bench.lifecycle --trace-round-trips` puts this directory on the services'
PYTHONPATH, so Python loads it at start-up in each service process (and only there: the databases and the
bench do not get that PYTHONPATH). It counts every MongoDB command by the project code that sent it and
writes the counts into BENCH_ROUND_TRIPS_DIR when the process exits after its graceful shutdown."""

from __future__ import annotations

import atexit
import os
import sys
import traceback
from collections import Counter
from pathlib import Path

from pymongo import monitoring

CHECKOUT = Path(__file__).resolve().parents[2]
SITE_DEPTH = 3  # innermost project frames shown per site: the repository, its caller and theirs


class CallSites(monitoring.CommandListener):
    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        # In asyncio the awaiting coroutines are on the stack too, so the handler that caused it shows.
        ours = [
            frame
            for frame in traceback.extract_stack()
            if frame.filename.startswith(str(CHECKOUT)) and "/.venv/" not in frame.filename
        ][:-1]  # this listener
        site = " < ".join(
            f"{Path(frame.filename).relative_to(CHECKOUT)}:{frame.lineno}"
            for frame in reversed(ours[-SITE_DEPTH:])
        )
        self.counts[(event.command_name, site)] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def write(self, directory: Path) -> None:
        service = Path(sys.argv[0]).parent.name  # python -m services.<name> runs .../<name>/__main__.py
        lines = [f"{count}\t{command}\t{site}" for (command, site), count in self.counts.most_common()]
        (directory / f"{service}.tsv").write_text("\n".join(lines) + "\n")


def install(directory: str) -> None:
    sites = CallSites()
    monitoring.register(sites)
    atexit.register(sites.write, Path(directory))


if os.environ.get("BENCH_ROUND_TRIPS_DIR"):
    install(os.environ["BENCH_ROUND_TRIPS_DIR"])
