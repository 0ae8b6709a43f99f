"""MongoDB-wire servers for the local stack, tests and benchmarks: SecantusDB processes on free ports."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {host}:{port} after {timeout}s")


@dataclass
class MongoServer:
    url: str
    process: subprocess.Popen[bytes] | None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def secantus_url(port: int) -> str:
    """The URL of a SecantusDB server this project started on `port`, without retryable writes.

    SecantusDB keeps each retryable write's reply for 30 minutes, up to 10,000, and its bookkeeping scans
    them all on every write (and sorts them once the cap is reached): plain inserts fell from 1,600 a second
    to 840 at 10,000 writes and to 200 beyond, while without retryable writes they stayed near 1,900
    (`python -m bench.database_growth`). A service writes that many in minutes, after which its database
    spends its CPU on the list.
    The platform needs no retryable write for correctness (every write of ours is idempotent or guarded
    by its own key), so these servers go without; a real MongoDB, given by MONGO_URL, keeps them.
    """
    return f"mongodb://127.0.0.1:{port}/?retryWrites=false"


def secantus_command() -> str:
    beside_python = Path(sys.executable).with_name("secantusd-py")
    found = str(beside_python) if beside_python.exists() else shutil.which("secantusd-py")
    if not found:
        raise RuntimeError("secantusd-py not found: run `make test` (installs SecantusDB) or set MONGO_URL")
    return found


def start_mongo_server(storage: Path, port: int | None = None) -> MongoServer:
    port = port or free_port()
    log = (storage / "secantusd.log").open("wb")
    process = subprocess.Popen(
        [
            secantus_command(),
            "--port",
            str(port),
            "--storage-path",
            str(storage / "data"),
            "--log-level",
            "WARNING",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for_port("127.0.0.1", port)
    return MongoServer(url=secantus_url(port), process=process)
