"""Where log lines come from: whole files, stdin, or files and stdin followed as they grow."""

from __future__ import annotations

import os
import queue
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO


def read_all(paths: Sequence[str], stdin: TextIO | None = None) -> Iterator[str]:
    """Every line of the named files in turn; "-" (or no name at all) is stdin."""
    for name in paths or ["-"]:
        if name == "-":
            yield from stdin or sys.stdin
        else:
            with open(name, encoding="utf-8", errors="replace") as lines:
                yield from lines


@dataclass
class _Position:
    inode: int
    offset: int = 0
    partial: bytes = b""


@dataclass
class FileTail:
    """Polls files for appended lines, like `tail -F`: picks up new files, restarts truncated or rotated ones.

    Polling rather than inotify keeps it portable and dependency-free; the view refreshes every few seconds
    anyway. A line is only returned once its newline is written, so a half-flushed JSON line is never lost.
    """

    files: Callable[[], Sequence[Path]]
    positions: dict[Path, _Position] = field(default_factory=dict)

    def poll(self) -> list[str]:
        lines: list[str] = []
        for path in self.files():
            try:
                stat = path.stat()
            except FileNotFoundError:
                self.positions.pop(path, None)
                continue
            position = self.positions.get(path)
            if position is None or position.inode != stat.st_ino or stat.st_size < position.offset:
                position = self.positions[path] = _Position(stat.st_ino)
            if stat.st_size == position.offset:
                continue
            with path.open("rb") as handle:
                handle.seek(position.offset)
                chunk = handle.read()
            position.offset += len(chunk)
            *complete, position.partial = (position.partial + chunk).split(b"\n")
            lines.extend(line.decode("utf-8", errors="replace") for line in complete)
        return lines


class StdinTail:
    """Lines from stdin as they arrive, without blocking the refresh loop (a reader thread feeds a queue)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self.closed = False
        threading.Thread(target=self._read, args=(stream or sys.stdin,), daemon=True).start()

    def _read(self, stream: TextIO) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put(None)  # end of input

    def poll(self) -> list[str]:
        lines: list[str] = []
        while True:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                return lines
            if line is None:
                self.closed = True
                return lines
            lines.append(line)


def log_files(directory: Path) -> Callable[[], list[Path]]:
    """The service logs of the local stack; the MongoDB-wire servers' logs there are not ours."""

    def files() -> list[Path]:
        return sorted(path for path in directory.glob("*.log") if not path.name.startswith("mongo-"))

    return files


def named_files(paths: Sequence[str]) -> Callable[[], list[Path]]:
    resolved = [Path(os.path.expanduser(path)) for path in paths]
    return lambda: resolved
