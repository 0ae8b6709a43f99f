"""A throw-away RabbitMQ vhost for a test session or a benchmark run, so runs never share broker state."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from deploy.local.servers import wait_for_port


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
        # Bounded: a busy broker may take long to drop a vhost full of quorum queues, and a test session
        # must not hang on its clean-up; a vhost left behind holds no running consumer.
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run(
                [rabbitmqctl, "-q", "delete_vhost", vhost], check=False, capture_output=True, timeout=60
            )
