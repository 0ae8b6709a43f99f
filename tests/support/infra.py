"""Start and stop the real servers tests talk to (SecantusDB processes, RabbitMQ vhosts)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit


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
    return MongoServer(url=f"mongodb://127.0.0.1:{port}/", process=process)


@dataclass
class BrokerVhost:
    url: str
    vhost: str
    owned: bool


@contextlib.contextmanager
def temporary_vhost(base_url: str) -> Iterator[BrokerVhost]:
    """A throw-away vhost when rabbitmqctl can make one (local broker); else the base URL's vhost."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 5672
    try:
        wait_for_port(host, port, timeout=5)
    except TimeoutError as error:
        raise RuntimeError(
            f"RabbitMQ is not answering at {host}:{port}. Start it with `rabbitmq-server -detached` "
            "or point AMQP_URL at a running broker."
        ) from error
    rabbitmqctl = shutil.which("rabbitmqctl")
    if rabbitmqctl is None or host not in ("127.0.0.1", "localhost"):
        yield BrokerVhost(url=base_url, vhost=parts.path.lstrip("/") or "/", owned=False)
        return
    vhost = f"tg-test-{uuid.uuid4().hex[:8]}"
    user = parts.username or "guest"
    subprocess.run([rabbitmqctl, "-q", "add_vhost", vhost], check=True, capture_output=True)
    subprocess.run(
        [rabbitmqctl, "-q", "set_permissions", "-p", vhost, user, ".*", ".*", ".*"],
        check=True,
        capture_output=True,
    )
    url = urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), "", ""))
    try:
        yield BrokerVhost(url=url, vhost=vhost, owned=True)
    finally:
        subprocess.run([rabbitmqctl, "-q", "delete_vhost", vhost], check=False, capture_output=True)
