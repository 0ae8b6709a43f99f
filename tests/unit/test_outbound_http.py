"""A process's outbound HTTP client keeps its connections alive for the life of the app."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestServer

from shared.http.outbound import OutboundHttp


async def test_outbound_calls_share_one_kept_alive_connection_until_the_app_closes_it() -> None:
    # Given a receiver that notes the client port of every request (one port per TCP connection)
    ports: list[int] = []

    async def receive(request: web.Request) -> web.Response:
        assert request.transport is not None
        ports.append(request.transport.get_extra_info("peername")[1])
        return web.Response(status=204)

    receiver = web.Application()
    receiver.router.add_post("/hook", receive)
    sender = web.Application()
    outbound = OutboundHttp(timeout_seconds=5)
    outbound.close_with(sender)
    runner = web.AppRunner(sender)
    await runner.setup()

    async with TestServer(receiver) as server:
        # When three webhooks are posted one after the other
        for _ in range(3):
            async with outbound.session().post(server.make_url("/hook"), data=b"{}") as response:
                assert response.status == 204

        # Then they travelled over one connection, not one each
        assert len(ports) == 3
        assert len(set(ports)) == 1

        # and the app's cleanup closes the session
        session = outbound.session()
        await runner.cleanup()
        assert session.closed
