"""`LocalStack(replicas=2)`: two processes per service behind one public port, each reachable on its own."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from deploy.local.polling import eventually
from deploy.local.stack import SERVICES, LocalStack
from deploy.local.vhosts import BrokerVhost


@pytest.fixture(scope="module")
async def replicated(
    broker: BrokerVhost, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[LocalStack]:
    home: Path = tmp_path_factory.mktemp("replicas")
    stack = LocalStack.beside_others(
        home,
        amqp_url=broker.url,
        namespace=f"rep{uuid.uuid4().hex[:6]}",
        extra_env={"RELAY_SWEEP_SECONDS": "1", "AMQP_QUEUE_TYPE": "classic"},
        replicas=2,
    )
    try:
        await stack.start()
        yield stack
    finally:
        await stack.stop()


async def replica_answering(url: str) -> str:
    # A connection of its own each time: the kernel picks a replica per connection, not per request.
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http,
        http.get(f"{url}/readyz") as ready,
    ):
        assert ready.status == 200
        replica: str = (await ready.json())["replica"]
        return replica


async def both_replicas_answer_on(stack: LocalStack, service: str) -> None:
    seen: set[str] = set()

    async def both_answered() -> bool:
        seen.add(await replica_answering(stack.url(service)))
        return seen == set(stack.replica_names(service))

    await eventually(both_answered)


async def test_every_service_runs_two_named_replica_processes(replicated: LocalStack) -> None:
    for service in SERVICES:
        replicas = replicated.replicas_of(service)
        assert [process.name for process in replicas] == [f"{service}-1", f"{service}-2"]
        assert all(process.running for process in replicas)
        assert len({process.pid for process in replicas}) == 2
    with pytest.raises(KeyError):
        replicated.process("escrow")  # a service of two replicas is no one process


async def test_each_replica_answers_on_its_own_port_and_both_on_the_public_one(
    replicated: LocalStack,
) -> None:
    for service in SERVICES:
        for name in replicated.replica_names(service):
            assert await replica_answering(replicated.replica_url(name)) == name
        await both_replicas_answer_on(replicated, service)


async def test_a_clock_advance_reaches_every_replica_of_every_service(replicated: LocalStack) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{replicated.url('escrow')}/sandbox/clock/advance", json={"seconds": 3_600}
        ) as moved:
            assert moved.status == 202
            target = (await moved.json())["offset_seconds"]
        names = [name for service in SERVICES for name in replicated.replica_names(service)]

        async def every_replica_moved() -> bool:
            offsets = []
            for name in names:
                async with http.get(f"{replicated.replica_url(name)}/sandbox/clock") as clock:
                    offsets.append((await clock.json())["offset_seconds"])
            return offsets == [target] * len(names)

        await eventually(every_replica_moved)


async def test_a_killed_replica_restarts_by_name_while_the_other_keeps_serving(
    replicated: LocalStack,
) -> None:
    first, second = replicated.replicas_of("escrow")
    await second.kill()

    assert await replica_answering(replicated.url("escrow")) == "escrow-1"
    await replicated.restart("escrow-2")

    assert second.running
    assert await replica_answering(replicated.replica_url("escrow-2")) == "escrow-2"
    assert first.running
