"""The local stack brings up four healthy services that move their test clocks together."""

from __future__ import annotations

import aiohttp

from deploy.local.polling import eventually
from deploy.local.stack import SERVICES, LocalStack
from shared.settings import ServiceSettings


async def test_every_service_boots_ready_with_its_standard_endpoints(stack: LocalStack) -> None:
    async with aiohttp.ClientSession() as http:
        for service in SERVICES:
            base = stack.url(service)
            async with http.get(f"{base}/healthz") as health:
                assert health.status == 200
            async with http.get(f"{base}/readyz") as ready:
                assert (await ready.json())["checks"] == {"mongo": True, "broker": True, "consumers": True}
            async with http.get(f"{base}/metrics") as metrics:
                assert "tradeguard_http_requests_total" in await metrics.text()
            async with http.get(f"{base}/openapi.json") as openapi:
                document = await openapi.json()
                assert document["openapi"].startswith("3.1")
                assert document["info"]["title"] == f"Tradeguard {service}"


async def test_advancing_the_test_clock_on_one_service_moves_all_four(stack: LocalStack) -> None:
    async with aiohttp.ClientSession() as http:
        advance = f"{stack.url('escrow')}/sandbox/clock/advance"
        async with http.post(advance, json={"seconds": 86_400}) as moved:
            assert moved.status == 202
            target = (await moved.json())["offset_seconds"]

        async def all_moved() -> bool:
            offsets = []
            for service in SERVICES:
                async with http.get(f"{stack.url(service)}/sandbox/clock") as clock:
                    offsets.append((await clock.json())["offset_seconds"])
            return offsets == [target] * len(SERVICES)

        await eventually(all_moved)


def test_sandbox_mode_is_off_unless_asked_for() -> None:
    assert ServiceSettings().sandbox is False


async def test_services_stop_gracefully_on_sigterm(stack: LocalStack) -> None:
    services = [process for process in stack.processes if process.name in SERVICES]
    last = services[-1]
    await last.stop()
    assert last.process is not None
    assert last.process.returncode == 0
    # Bring it back for any later test of the session.
    last.start()
    await stack.wait_ready(last.name)
