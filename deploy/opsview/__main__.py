"""`python -m deploy.opsview [FILE ...] [--follow]`: the ops figures from the services' JSON logs.

Without FILE (or with "-") it reads stdin. `--follow` keeps reading as the logs grow and redraws every
`--interval` seconds; with no FILE it follows the local stack's `.local/logs/*.log`.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from rich.live import Live

from deploy.opsview.figures import Figures
from deploy.opsview.render import render, view
from deploy.opsview.sources import FileTail, StdinTail, log_files, named_files, read_all


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    figures = Figures()
    if not args.follow:
        for line in read_all(args.files):
            figures.feed_line(line)
        sys.stdout.write(render(figures.snapshot(args.now)))
        return 0
    return _follow(args, figures)


def _follow(args: argparse.Namespace, figures: Figures) -> int:
    names = [name for name in args.files if name != "-"]
    stdin = StdinTail() if "-" in args.files else None
    tail = FileTail(named_files(names) if names else log_files(args.logs_dir)) if names or not stdin else None
    try:
        with Live(auto_refresh=False, screen=False) as live:
            while True:
                for line in [*(tail.poll() if tail else []), *(stdin.poll() if stdin else [])]:
                    figures.feed_line(line)
                # The sandbox test clock may run ahead of the wall clock: ages use whichever is later.
                wall = datetime.now(UTC)
                now = args.now or max(wall, figures.latest or wall)
                live.update(view(figures.snapshot(now)), refresh=True)
                if stdin is not None and stdin.closed and tail is None:
                    return 0
                time.sleep(args.interval)
    except KeyboardInterrupt:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.opsview",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help='JSON log files; "-" or none: stdin')
    parser.add_argument("-f", "--follow", action="store_true", help="keep reading and redraw")
    parser.add_argument(
        "--logs-dir", type=Path, default=Path(".local/logs"), help="followed when no FILE is given"
    )
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between redraws")
    parser.add_argument(
        "--now",
        type=_instant,
        default=None,
        help="ISO instant dispute ages are measured at (default: latest log time, or now when following)",
    )
    return parser


def _instant(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


if __name__ == "__main__":
    sys.exit(main())
