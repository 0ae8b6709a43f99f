"""One RabbitMQ user per service, allowed only the exchanges and queues that service needs.

When the local stack owns the broker (a broker on this machine and `rabbitmqctl` on the PATH) each service
connects as `<namespace>-<service>` with a random password kept in the stack home, so a bug or a leaked
credential in one service cannot read, publish into or delete another service's queues. Names follow
shared/messaging/topology.py: a service owns `<ns>.<svc>.*` (its events exchange, subscription, wait,
requeue, dead-letter and parking-lot queues and exchanges), binds its queues to the events exchanges of
the producers it consumes, and every service declares and binds the shared `<ns>.unrouted` exchange and
queue (the alternate exchange of every events exchange).
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from deploy.local.rabbitmqctl import rabbitmqctl, rabbitmqctl_output

# Producers whose events exchange each service binds its subscription queues to (services/*/handlers).
CONSUMES: dict[str, tuple[str, ...]] = {
    "catalog": ("escrow", "logistics", "disputes"),
    "escrow": ("catalog", "logistics", "disputes"),  # the order timeline hears every producer
    "logistics": ("escrow", "disputes"),
    "disputes": ("escrow", "logistics"),
}
# The sandbox test clock is announced on `<ns>.sandbox.events`: any service may publish and all consume it.
SANDBOX_PRODUCER = "sandbox"
# Publishing to the default exchange (the parking lot) is checked against this resource name.
DEFAULT_EXCHANGE = "amq.default"


@dataclass(frozen=True)
class Permissions:
    """The configure, write and read regular expressions of one user on one vhost."""

    configure: str
    write: str
    read: str


def service_permissions(namespace: str, service: str, *, sandbox: bool) -> Permissions:
    """Own resources in full; other producers' exchanges only to declare and bind from, never to publish."""
    ns = re.escape(namespace)
    own = rf"{ns}\.{re.escape(service)}\..*"
    unrouted = rf"{ns}\.unrouted"
    shared_clock = [SANDBOX_PRODUCER] if sandbox else []
    consumed = "|".join(re.escape(p) for p in (*CONSUMES[service], *shared_clock))
    producers = rf"{ns}\.({consumed})\.events"
    publishes = rf"{ns}\.{SANDBOX_PRODUCER}\.events" if sandbox else None
    return Permissions(
        configure=_anchored(own, unrouted, producers),
        write=_anchored(own, unrouted, re.escape(DEFAULT_EXCHANGE), *([publishes] if publishes else [])),
        read=_anchored(own, unrouted, producers),
    )


def _anchored(*alternatives: str) -> str:
    return "^(" + "|".join(alternatives) + ")$"


def user_name(namespace: str, service: str) -> str:
    return f"{namespace}-{service}"


def owns_broker_users(amqp_url: str) -> bool:
    """Users can be managed only on a broker on this machine, through `rabbitmqctl`."""
    host = urlsplit(amqp_url).hostname or "127.0.0.1"
    return host in ("127.0.0.1", "localhost") and shutil.which("rabbitmqctl") is not None


def vhost_of(amqp_url: str) -> str:
    return unquote(urlsplit(amqp_url).path.lstrip("/")) or "/"


def url_for(amqp_url: str, user: str, password: str) -> str:
    """The same broker and vhost, authenticated as `user`."""
    parts = urlsplit(amqp_url)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}" + (
        f":{parts.port}" if parts.port else ""
    )
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def stored_passwords(path: Path, users: Iterable[str]) -> dict[str, str]:
    """Passwords kept in the stack home (created on first use, owner-readable only)."""
    known: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [user for user in users if user not in known]
    if missing:
        known.update({user: secrets.token_urlsafe(24) for user in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        path.write_text(json.dumps(known, indent=2))
    return known


async def provision(
    amqp_url: str, namespace: str, services: Iterable[str], *, home: Path, sandbox: bool
) -> dict[str, str]:
    """Create (or reset) each service's user and permissions; returns each service's AMQP URL."""
    names = {service: user_name(namespace, service) for service in services}
    passwords = stored_passwords(home / "broker-users.json", names.values())
    vhost = vhost_of(amqp_url)

    async def one(service: str, user: str) -> None:
        await _ensure_user(user, passwords[user])
        grant = service_permissions(namespace, service, sandbox=sandbox)
        await rabbitmqctl("set_permissions", "-p", vhost, user, grant.configure, grant.write, grant.read)

    await asyncio.gather(*(one(service, user) for service, user in names.items()))
    return {service: url_for(amqp_url, user, passwords[user]) for service, user in names.items()}


async def remove(users: Iterable[str]) -> None:
    """Delete users (the broker closes their connections); a missing user is not an error."""
    outcomes = await asyncio.gather(
        *(rabbitmqctl("delete_user", user, allow_failure=True) for user in users), return_exceptions=True
    )
    # Every deletion is attempted before a timeout is reported, so one slow call leaves no others behind.
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome


def users_of(urls: Mapping[str, str]) -> list[str]:
    return [unquote(urlsplit(url).username or "") for url in urls.values()]


async def connected_users(vhost: str) -> set[str]:
    """Users with an open connection to `vhost` (proves that services use their own credentials)."""
    out = await rabbitmqctl_output("--no-table-headers", "list_connections", "user", "vhost")
    rows = (line.split("\t") for line in out.splitlines())
    return {row[0] for row in rows if len(row) == 2 and row[1] == vhost}


async def _ensure_user(user: str, password: str) -> None:
    # The password goes through stdin so it never shows in the process list.
    if not await rabbitmqctl("add_user", user, stdin=password, allow_failure=True):
        await rabbitmqctl("change_password", user, stdin=password)
