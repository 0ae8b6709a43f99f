"""The whole platform on one machine: `make up` (or `python -m deploy.local.stack`).

Starts one MongoDB-wire server per service (SecantusDB; or uses MONGO_URL), makes sure RabbitMQ answers at
AMQP_URL (starting a local `rabbitmq-server` if one is installed), starts the four services in sandbox
mode and the operators' console beside them, waits for each `/readyz`, prints the URLs, and stops
everything cleanly on Ctrl-C.
On a local broker with `rabbitmqctl`, each service connects as its own user (deploy/local/broker_users.py).

`--replicas N` runs N processes per service (default 1). They share the service's database, broker user and
queues (consumers compete; each publishes its own outbox rows, one sweeps for rows a dead one left) and its
public port (SO_REUSEPORT: the kernel spreads connections over them); each also listens on a port of its
own, which the stack waits on.
With one replica a service's process is named after it (`escrow`); with several, `escrow-1`, `escrow-2`...
Services read only their own prefixed variables (`ESCROW_MONGO_URL`), so the stack hands each service its
settings under its prefix, the MONGO_URL and AMQP_URL it was given included.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

from deploy.local import broker_users
from deploy.local.processes import ManagedProcess, port_open, wait_until
from deploy.local.servers import free_port, secantus_command, secantus_url
from shared.security.keys import DevKeys, ensure_dev_keys
from shared.settings import LOAD_TEST_RATE_LIMITS, ServiceSettings

SERVICES: dict[str, int] = {"catalog": 8081, "escrow": 8082, "logistics": 8083, "disputes": 8084}
MONGO_PORTS: dict[str, int] = {"catalog": 27081, "escrow": 27082, "logistics": 27083, "disputes": 27084}
# The operators' desk: no database, it calls the four services' APIs with the operator's token.
CONSOLE = "console"
CONSOLE_PORT = 8080
DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


class StackError(RuntimeError):
    """The stack cannot start; the message says what to do."""


@dataclass
class LocalStack:
    """Programmatic handle on the local platform (used by `make up` and by the end-to-end tests)."""

    home: Path = Path(".local")
    amqp_url: str = DEFAULT_AMQP_URL
    mongo_url: str | None = None
    namespace: str = "tradeguard"
    sandbox: bool = True
    ports: dict[str, int] = field(default_factory=lambda: dict(SERVICES))
    mongo_ports: dict[str, int] = field(default_factory=lambda: dict(MONGO_PORTS))
    console_port: int | None = CONSOLE_PORT  # None: no console (benchmarks and the chaos suite need none)
    # Added to every service's environment; a setting every service has (`LOG_LEVEL`, `RETRY_DELAYS_MS`)
    # goes to each under its own prefix (`ESCROW_LOG_LEVEL`).
    extra_env: dict[str, str] = field(default_factory=dict)
    # One broker user per service, allowed only its own queues and exchanges (when rabbitmqctl can make them).
    isolated_broker_users: bool = True
    amqp_urls: dict[str, str] = field(default_factory=dict)
    # Processes per service; with more than one, each replica also gets a port of its own (below).
    replicas: int = 1
    replica_ports: dict[str, int] = field(default_factory=dict)
    processes: list[ManagedProcess] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.replicas < 1:
            raise StackError(f"a service needs at least one replica, not {self.replicas}")

    @classmethod
    def beside_others(
        cls,
        home: Path,
        *,
        amqp_url: str,
        namespace: str,
        extra_env: dict[str, str],
        console: bool = False,
        replicas: int = 1,
    ) -> LocalStack:
        """A stack that runs next to any other on this machine (tests, benchmarks): free ports, its own
        broker namespace, and MONGO_URL's server if one is set; the console only when asked for."""
        return cls(
            home=home,
            amqp_url=amqp_url,
            mongo_url=os.environ.get("MONGO_URL"),
            namespace=namespace,
            ports={service: free_port() for service in SERVICES},
            mongo_ports={service: free_port() for service in SERVICES},
            console_port=free_port() if console else None,
            extra_env=extra_env,
            replicas=replicas,
        )

    def url(self, service: str) -> str:
        """The base URL of a service (any of its replicas), or of the console (`url("console")`)."""
        port = self.console_port if service == CONSOLE else self.ports[service]
        return f"http://127.0.0.1:{port}"

    def replica_names(self, service: str) -> list[str]:
        """The process names of a service's replicas: `[escrow]` with one, `[escrow-1, escrow-2]` with two."""
        if self.replicas == 1:
            return [service]
        return [f"{service}-{number}" for number in range(1, self.replicas + 1)]

    def replica_url(self, name: str) -> str:
        """The base URL that reaches this replica (`escrow-2`) and no other; the service's own with one."""
        if name in self.replica_ports:
            return f"http://127.0.0.1:{self.replica_ports[name]}"
        return self.url(name)

    async def start(self) -> None:
        keys = ensure_dev_keys(self.home / "keys")
        # Catalog signs quotes; escrow verifies them offline with the public half.
        quote_keys = ensure_dev_keys(self.home / "quote-keys")
        await self._ensure_broker()
        if self.isolated_broker_users and broker_users.owns_broker_users(self.amqp_url):
            self.amqp_urls = await broker_users.provision(
                self.amqp_url, self.namespace, self.ports, home=self.home, sandbox=self.sandbox
            )
        mongo_urls = {service: self.database_url(service) for service in self.ports}
        if not self.mongo_url:
            await self._start_mongo()
        quote_key_files = {
            "catalog": {"QUOTE_SIGNING_KEY_FILE": str(quote_keys.private_key_path.resolve())},
            "escrow": {"QUOTE_PUBLIC_KEYS_FILE": str(quote_keys.public_keys_path.resolve())},
        }
        if self.replicas > 1:
            self.replica_ports = {
                name: free_port() for service in self.ports for name in self.replica_names(service)
            }
        for service, port in self.ports.items():
            settings = {
                "MONGO_URL": mongo_urls[service],
                "HTTP_PORT": str(port),
                "AMQP_URL": self.amqp_urls.get(service, self.amqp_url),
                "AMQP_NAMESPACE": self.namespace,
                "JWT_PUBLIC_KEYS_FILE": str(keys.public_keys_path.resolve()),
                "SANDBOX": "true" if self.sandbox else "false",
                **LOAD_TEST_RATE_LIMITS,
                **quote_key_files.get(service, {}),
            }
            for name in self.replica_names(service):
                own_port = (
                    {"HTTP_REPLICA_PORT": str(self.replica_ports[name])} if name in self.replica_ports else {}
                )
                replica = {**settings, "REPLICA": name, **own_port}
                env = {**os.environ, **self.service_env(service, replica), "PYTHONUNBUFFERED": "1"}
                process = ManagedProcess(
                    name,
                    [sys.executable, "-m", f"services.{service}"],
                    env,
                    self.home / "logs" / f"{name}.log",
                )
                process.start()
                self.processes.append(process)
        await asyncio.gather(*(self.wait_ready(service) for service in self.ports))
        if self.console_port is not None:
            self._start_console(keys)
            await self.wait_ready(CONSOLE)

    def _start_console(self, keys: DevKeys) -> None:
        """Sandbox mode lets its sign-in page mint tokens with the same development key `make token` uses."""
        settings = {
            "HTTP_PORT": str(self.console_port),
            "SERVICE_ENDPOINTS": json.dumps({service: self.url(service) for service in self.ports}),
            "JWT_PUBLIC_KEYS_FILE": str(keys.public_keys_path.resolve()),
            "DEV_SIGNING_KEY_FILE": str(keys.private_key_path.resolve()),
            "SANDBOX": "true" if self.sandbox else "false",
        }
        env = {**os.environ, **self.service_env(CONSOLE, settings), "PYTHONUNBUFFERED": "1"}
        process = ManagedProcess(
            CONSOLE, [sys.executable, "-m", "services.console"], env, self.home / "logs" / "console.log"
        )
        process.start()
        self.processes.append(process)

    def service_env(self, service: str, settings: dict[str, str]) -> dict[str, str]:
        """`extra_env` and the stack's `settings` (named without prefix) as `service` reads them."""
        prefix = f"{service.upper()}_"
        shared = {name: value for name, value in self.extra_env.items() if _is_shared_setting(name)}
        other = {name: value for name, value in self.extra_env.items() if name not in shared}
        return {**other, **{prefix + name: value for name, value in {**shared, **settings}.items()}}

    def process(self, name: str) -> ManagedProcess:
        """The process named `name`: a service's replica (`escrow` with one replica, `escrow-2` with several),
        the console, or a database (`mongo-escrow`). A service of several replicas is no one process: ask
        `replicas_of` for them."""
        for process in self.processes:
            if process.name == name:
                return process
        raise KeyError(f"no process {name!r} (processes: {', '.join(p.name for p in self.processes)})")

    def replicas_of(self, service: str) -> list[ManagedProcess]:
        """Every process that serves `service` (one per replica); a process name (`escrow-2`, `mongo-escrow`)
        gives that one process."""
        names = self.replica_names(service) if service in self.ports else [service]
        return [self.process(name) for name in names]

    async def restart(self, name: str) -> None:
        """Start a stopped or killed process again with the same command and environment, and wait until it
        is ready: one replica (`escrow-2`), or every stopped replica of a service (`escrow`)."""
        for process in self.replicas_of(name):
            if not process.running:
                process.start()
        await self.wait_ready(name)

    def database_of(self, service: str) -> ManagedProcess:
        """The MongoDB-wire server of a service (none when the stack uses MONGO_URL's)."""
        return self.process(f"mongo-{service}")

    def database_url(self, service: str) -> str:
        """Where `service`'s database answers: MONGO_URL when given, else the server this stack starts."""
        return self.mongo_url or secantus_url(self.mongo_ports[service])

    async def restart_database(self, service: str) -> None:
        """Start a killed database server again on the same data; wait until it takes connections."""
        process = self.database_of(service)
        if not process.running:
            process.start()
        port = self.mongo_ports[service]
        await wait_until(partial(port_open, "127.0.0.1", port), 60, f"mongo for {service}", alive=process)

    async def stop(self) -> None:
        """The console and the services first (they drain and flush), then their databases."""
        front = {CONSOLE, *(name for service in self.ports for name in self.replica_names(service))}
        services = [process for process in self.processes if process.name in front]
        databases = [process for process in self.processes if process.name not in front]
        await asyncio.gather(*(process.stop() for process in services))
        await asyncio.gather(*(process.stop() for process in databases))
        self.processes.clear()
        self.replica_ports = {}
        await broker_users.remove(broker_users.users_of(self.amqp_urls))
        self.amqp_urls = {}

    async def _start_mongo(self) -> None:
        try:
            server = secantus_command()
        except RuntimeError as error:
            raise StackError(str(error)) from error
        for service, port in self.mongo_ports.items():
            data = self.home / "data" / service
            data.mkdir(parents=True, exist_ok=True)
            # Every commit reaches the disk before it is acknowledged, as majority writes on a replica set
            # are journaled: without it a SIGKILLed server forgets commits it acknowledged a moment before
            # (the chaos suite's database kills found that), which no production database does.
            command = [server, "--port", str(port), "--storage-path", str(data), "--log-level", "WARNING"]
            process = ManagedProcess(
                f"mongo-{service}",
                [*command, "--sync-on-commit"],
                dict(os.environ),
                self.home / "logs" / f"mongo-{service}.log",
            )
            process.start()
            self.processes.append(process)
        for service, port in self.mongo_ports.items():
            await wait_until(partial(port_open, "127.0.0.1", port), 60, f"mongo for {service}")

    async def _ensure_broker(self) -> None:
        parts = urlsplit(self.amqp_url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 5672
        if await port_open(host, port):
            return
        if host not in ("127.0.0.1", "localhost") or shutil.which("rabbitmq-server") is None:
            raise StackError(
                f"RabbitMQ is not answering at {host}:{port}. Install and start it "
                "(`apt-get install rabbitmq-server && rabbitmq-server -detached`) or set AMQP_URL."
            )
        print("RabbitMQ not answering; starting `rabbitmq-server -detached` ...", flush=True)
        await asyncio.to_thread(subprocess.run, ["rabbitmq-server", "-detached"], check=False)
        await wait_until(partial(port_open, host, port), 90, "RabbitMQ")

    async def wait_ready(self, name: str) -> None:
        """Until the process `name` answers /readyz; for a service, every one of its replicas."""
        await asyncio.gather(*(self._wait_replica_ready(process) for process in self.replicas_of(name)))

    async def _wait_replica_ready(self, process: ManagedProcess) -> None:
        url = f"{self.replica_url(process.name)}/readyz"

        async def ready() -> bool:
            try:
                async with (
                    aiohttp.ClientSession() as session,
                    session.get(url, timeout=aiohttp.ClientTimeout(total=2)) as response,
                ):
                    return response.status == 200
            except (aiohttp.ClientError, TimeoutError):
                return False

        await wait_until(ready, 60, f"{process.name} /readyz", alive=process)


def _is_shared_setting(name: str) -> bool:
    return name.lower() in ServiceSettings.model_fields


async def run(stack: LocalStack) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stack.start()
        print("\nTradeguard is up (sandbox mode):")
        for service in stack.ports:
            print(f"  {service:<10} {stack.url(service)}   (OpenAPI: {stack.url(service)}/openapi.json)")
            if stack.replicas > 1:
                own = ", ".join(f"{name} {stack.replica_url(name)}" for name in stack.replica_names(service))
                print(f"  {'':<10} {stack.replicas} replicas: {own}")
        if stack.console_port is not None:
            print(f"  console    {stack.url(CONSOLE)}   (operators' desk: sign in as any ops role)")
        print(f"  logs       {stack.home / 'logs'}/<service>.log (one JSON line per event)")
        print("  token      make -s token ARGS='--sub buyer-1 --role buyer --tier standard'")
        print("Ctrl-C stops everything.", flush=True)
        await stop.wait()
    finally:
        print("\nstopping ...", flush=True)
        await stack.stop()


def _at_least_one(text: str) -> int:
    count = int(text)
    if count < 1:
        raise argparse.ArgumentTypeError(f"at least 1, not {count}")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", type=Path, default=Path(".local"), help="keys, data and logs")
    parser.add_argument("--replicas", type=_at_least_one, default=1, help="processes per service (default 1)")
    args = parser.parse_args()
    stack = LocalStack(
        home=args.home,
        amqp_url=os.environ.get("AMQP_URL", DEFAULT_AMQP_URL),
        mongo_url=os.environ.get("MONGO_URL"),
        replicas=args.replicas,
    )
    try:
        asyncio.run(run(stack))
    except StackError as error:
        sys.exit(f"error: {error}")


if __name__ == "__main__":
    main()
