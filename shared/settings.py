"""Settings common to every service; each service subclasses `ServiceSettings` with its own prefix.

A service reads only its own prefixed variables (`ESCROW_MONGO_URL`, `ESCROW_SANDBOX`), so one
environment can hold several services' settings without one leaking into another; whatever starts
services (deploy/local, compose, k8s) names each value per service. Nothing else reads the environment.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from shared.mongo import DEFAULT_MAX_CONNECTIONS


class ServiceSettings(BaseSettings):
    """Everything a service needs to run; defaults work on a developer machine."""

    # `<SERVICE>_POLICY__<RULE>=...` overrides one rule of a service's policy and keeps the other defaults.
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, env_nested_delimiter="__")

    SERVICE: ClassVar[str] = "service"
    DEFAULT_PORT: ClassVar[int] = 8080
    # Settings whose default only suits a developer machine (keys the local stack generates, known secrets):
    # outside sandbox mode a service refuses to start while one of them still holds its default.
    DEVELOPMENT_DEFAULTS: ClassVar[tuple[str, ...]] = ("jwt_public_keys_file",)

    service_name: str = ""
    # This process among the service's replicas: names it in /readyz and holds the outbox relay's sweeping
    # lease under it, so it must differ between live replicas of one service (default: host name and pid; the
    # local stack names them `escrow-1`, `escrow-2`). A replica restarted under the same name takes its
    # own lease back at once instead of waiting for it to run out, and publishes at once the outbox rows
    # its previous run left unsent (they carry its name).
    replica: str = ""
    http_host: str = "127.0.0.1"
    http_port: int = 0
    # Set when several replicas share one host: HTTP_PORT is then bound with SO_REUSEPORT (the kernel
    # spreads connections over the replicas) and this port is the replica's own, for probes that must
    # reach this replica and no other (the local stack's readiness wait).
    http_replica_port: int | None = None
    mongo_url: str = "mongodb://127.0.0.1:27017/"
    mongo_db: str = ""
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    # Prefix of every exchange and queue name: lets tests and environments share one broker safely.
    amqp_namespace: str = "tradeguard"
    prefetch: int = Field(default=32, ge=1, le=1000)
    retry_delays_ms: list[int] = Field(default_factory=lambda: [5_000, 30_000, 300_000])
    # Broker-side last resort against a message that kills the process before it can be retried.
    delivery_limit: int = 20
    amqp_queue_type: Literal["quorum", "classic"] = "quorum"
    # How long a message's transaction may keep meeting write conflicts before the message steps aside to
    # its next retry tier. Live writers' conflicts clear in milliseconds; one that lasts is a transaction a
    # process left open when it died, which the database aborts only at its transaction lifetime
    # (docs/platform.md): the rest of the queue must not wait behind it.
    message_conflict_budget_seconds: float = Field(default=5.0, gt=0, le=60.0)
    # Each process records the server sessions its transactions run in and beats this often; a record
    # silent for five beats is a dead process's, and its peers end the transactions it left open
    # (shared/sessions.py) instead of leaving them to the database's transaction lifetime.
    process_heartbeat_seconds: float = Field(default=2.0, gt=0, le=60.0)
    relay_batch_size: int = Field(default=200, ge=1, le=5_000)
    relay_sweep_seconds: float = 5.0
    relay_max_backoff_seconds: float = 30.0
    # How long confirmed outbox rows wait to be marked sent together (one write for a burst of events).
    relay_mark_delay_seconds: float = Field(default=0.5, ge=0, le=10.0)
    # How long past its due time an unsent row waits for the replica that wrote it before the sweeping
    # replica publishes it (its writer died or stalled). Well above what a live writer takes to publish
    # and mark a row (`relay_mark_delay_seconds` included), or the sweep publishes rows a second time.
    relay_orphan_seconds: float = Field(default=5.0, gt=0, le=600.0)
    # One replica at a time sweeps the outbox for rows their writers left (shared/messaging/lease.py): it
    # renews its lease once half of it has run, and a replica that dies holding it delays the sweep by at
    # most this long.
    relay_lease_seconds: float = Field(default=10.0, gt=0)
    max_body_bytes: int = 1_048_576
    # Slow clients: a whole request head within this long of opening the connection (or of the last
    # answer on it), a whole body within this long of the head (408). See shared/http/serving.py.
    http_header_timeout_seconds: float = Field(default=30.0, gt=0)
    http_body_timeout_seconds: float = Field(default=30.0, gt=0)
    # Per caller (the token's subject) and per replica: `burst` requests at once, refilled at `per_second`
    # (429 with Retry-After beyond). Above what a person or the console sends, below a flood: 150 requests
    # at once from one token are not all served. The local stack and the test harness, which drive many
    # journeys through a few supplier tokens, raise it (LOAD_TEST_RATE_LIMITS); the gateway's global
    # limit (deploy/k8s/gateway) bounds all replicas.
    rate_limit_per_second: float = Field(default=20.0, gt=0)
    rate_limit_burst: int = Field(default=100, ge=1)
    # How far a provider webhook's signed timestamp may be from our clock, either way, before it is stale.
    webhook_tolerance_seconds: int = Field(default=300, ge=1)
    # Every database call of one request shares this deadline: a database that is gone or paused answers
    # the client 503 `database-unavailable` with Retry-After within it, instead of holding the request.
    # Above any healthy request's database time (milliseconds), even on a loaded machine.
    database_request_timeout_seconds: float = Field(default=4.0, gt=0)
    # Connections this process opens to its database at most; requests beyond wait for one in the process
    # (within their deadline) rather than pile onto a database that is already slow (shared.mongo.connect).
    database_max_connections: int = Field(default=DEFAULT_MAX_CONNECTIONS, ge=1, le=1_000)
    # SIGTERM to exit, whatever the dependencies do: requests in flight get half, then consumers drain
    # and the outbox relay flushes in what is left (shared/http/serving.py `shut_down`).
    shutdown_grace_seconds: float = Field(default=8.0, gt=0)
    jwt_public_keys_file: Path = Path(".local/keys/jwks.json")
    jwt_audience: str = "tradeguard"
    jwt_issuer: str = "tradeguard-dev-idp"
    sandbox: bool = False
    log_level: str = "INFO"
    log_json: bool = True
    # Set (per service: ESCROW_PROFILE_PATH) to run the process under cProfile and write its stats there on
    # shutdown; bench/lifecycle.py uses it to find the hot path. Never set in production.
    profile_path: Path | None = None

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        # Service-derived defaults, filled after the environment so an explicit value always wins.
        if not self.service_name:
            object.__setattr__(self, "service_name", self.SERVICE)
        if not self.mongo_db:
            object.__setattr__(self, "mongo_db", self.SERVICE)
        if not self.http_port:
            object.__setattr__(self, "http_port", self.DEFAULT_PORT)
        if not self.replica:
            object.__setattr__(self, "replica", f"{socket.gethostname()}-{os.getpid()}")

    def development_values(self) -> list[str]:
        """The environment variables still holding a development default; empty in sandbox mode."""
        if self.sandbox:
            return []
        fields = type(self).model_fields
        return [
            f"{self.SERVICE.upper()}_{name.upper()}"
            for name in self.DEVELOPMENT_DEFAULTS
            if getattr(self, name) == fields[name].get_default(call_default_factory=True)
        ]

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, EnvSettingsSource(settings_cls, env_prefix=f"{cls.SERVICE.upper()}_")


# What the local stack and the test harness set: their fuzzers, journeys and chaos runs send hundreds of
# requests a second through a few tokens, which is load testing, not a client to slow down.
LOAD_TEST_RATE_LIMITS = {"RATE_LIMIT_PER_SECOND": "5000", "RATE_LIMIT_BURST": "10000"}
