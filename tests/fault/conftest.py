"""The chaos suite's own platform: the four services as processes on free ports, in a vhost of their own.

Run it alone with `make chaos` (or `pytest tests/fault`); `CHAOS_SEED=<n>` re-runs a seed.
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from deploy.local.stack import LocalStack
from deploy.local.vhosts import BrokerVhost
from tests.fault.faults import BrokerControl

REPORT: list[str] = []
# Processes a service runs as: 1 for `make chaos` and `make test`, 2 for `make chaos-long`.
REPLICAS = int(os.environ.get("CHAOS_REPLICAS", "1"))


@pytest.fixture(scope="session")
def chaos_seed() -> int:
    return int(os.environ.get("CHAOS_SEED") or random.SystemRandom().randrange(1_000_000))


@pytest.fixture(scope="session")
async def chaos_stack(
    broker: BrokerVhost, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[LocalStack]:
    # CHAOS_HOME keeps the services' and databases' logs where pytest's rotation of its temporary
    # directories (three sessions, whoever ran them) does not remove them before a failure is read.
    kept = os.environ.get("CHAOS_HOME")
    home: Path = Path(kept) / uuid.uuid4().hex[:8] if kept else tmp_path_factory.mktemp("chaos")
    REPORT.append(f"logs: {home / 'logs'}")
    platform = LocalStack.beside_others(
        home,
        amqp_url=broker.url,
        namespace=f"chaos{uuid.uuid4().hex[:6]}",
        # Retry tiers of seconds, not production's minutes, so recovery is measured in seconds. They must
        # still outlast the longest wait for an event from another queue: a service killed five times in
        # half a minute applies its backlog late, and with tiers of 0.2/1/3 s disputes parked 68 logistics
        # events that arrived before the order they need (seed 128737). With 1/5/20 s (26 s in all) the
        # long run of seed 424242 parked 78: escrow's events for those orders waited in a backlog, then
        # through dropped connections and a broker restart (5 s reconnect steps), and reached disputes 30 s
        # after logistics' did. A fourth tier of 60 s covers that, still far below production's 5 min.
        extra_env={
            "RETRY_DELAYS_MS": "[1000, 5000, 20000, 60000]",
            "RELAY_SWEEP_SECONDS": "1",
            "AMQP_QUEUE_TYPE": "classic",
        },
        replicas=REPLICAS,
    )
    try:
        await platform.start()
        yield platform
    finally:
        await platform.stop()


@pytest.fixture(scope="session")
def broker_control(broker: BrokerVhost) -> BrokerControl:
    return BrokerControl(broker.vhost)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if REPORT:
        terminalreporter.write_sep("=", "chaos run")
        for line in REPORT:
            terminalreporter.write_line(line)
