"""How a service's aiohttp app meets the network: connection timeouts, and answers to unparseable requests.

Slow clients: aiohttp's keep-alive timer closes a connection that has not sent a whole request head within
`http_header_timeout_seconds` of opening it or of its last answer, however it trickles bytes (the timer
does not restart on partial data); a body is read within `http_body_timeout_seconds`
(`shared.http.middleware`). Unparseable requests: aiohttp answers them itself, before any middleware, with
its parser's message, which quotes the bytes it choked on (the first bytes of an oversized `Authorization`
header among them); `PlatformRequestHandler` answers a problem that quotes nothing instead.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from http import HTTPStatus
from typing import Any

import structlog
import uvloop
from aiohttp import web

from shared.http.problems import Problem
from shared.http.server_log import SERVER_LOG
from shared.settings import ServiceSettings
from shared.startup_heap import freeze_startup_heap

# After answering a request whose body was not read to the end, how long aiohttp keeps reading (and
# dropping) the rest so the client sees the answer rather than a reset: short (and never longer than a
# body may take), or a slow client holds on.
LINGERING_SECONDS = 2.0

log = structlog.get_logger(__name__)


def handler_options(settings: ServiceSettings) -> dict[str, Any]:
    """The options of each connection's request handler (`web.Application(handler_args=...)`)."""
    return {
        "logger": SERVER_LOG,
        "keepalive_timeout": settings.http_header_timeout_seconds,
        "lingering_time": min(LINGERING_SECONDS, settings.http_body_timeout_seconds),
    }


class PlatformRequestHandler(web.RequestHandler):
    """aiohttp's connection handler, except that a request it cannot parse is answered without quoting it."""

    __slots__ = ()

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        # aiohttp logs (through SERVER_LOG: one info line, no bytes) and checks the connection still takes
        # an answer; its own answer, which would carry the parser's message, is replaced.
        answer = super().handle_error(request, status, exc, message=None)
        if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            return answer
        phrase = HTTPStatus(status).phrase
        problem = Problem(status, "malformed-request", f"{phrase}.", "the request could not be parsed")
        response = problem.to_response(instance=None)
        response.force_close()
        return response


class PlatformServer(web.Server):
    """aiohttp's low-level server, serving each connection with a `PlatformRequestHandler`."""

    def __init__(self, served: web.Server, **options: Any) -> None:
        super().__init__(
            served.request_handler,
            request_factory=served.request_factory,
            handler_cancellation=served.handler_cancellation,
            **options,
        )
        self.options = options

    def __call__(self) -> web.RequestHandler:
        return PlatformRequestHandler(self, loop=asyncio.get_running_loop(), **self.options)


class PlatformRunner(web.AppRunner):
    """An `AppRunner` whose server is a `PlatformServer` with the given handler options."""

    def __init__(self, app: web.Application, *, shutdown_timeout: float, **options: Any) -> None:
        super().__init__(app, shutdown_timeout=shutdown_timeout, handle_signals=False, access_log=None)
        # The access log is the middleware's JSON line, never aiohttp's.
        self.options = {**options, "access_log": None}

    async def _make_server(self) -> web.Server:
        # aiohttp's own server first: it starts the app (startup signals) and binds its request handler.
        return PlatformServer(await super()._make_server(), **self.options)


def sites(runner: web.BaseRunner, settings: ServiceSettings) -> list[web.TCPSite]:
    """Where a replica listens: the service's port, shared with the other replicas on this host when the
    replica has a port of its own (SO_REUSEPORT: the kernel spreads new connections over them), and that
    own port."""
    host = settings.http_host
    if settings.http_replica_port is None:
        return [web.TCPSite(runner, host, settings.http_port)]
    return [
        web.TCPSite(runner, host, settings.http_port, reuse_port=True),
        web.TCPSite(runner, host, settings.http_replica_port),
    ]


def serve(app: web.Application, settings: ServiceSettings) -> None:
    """Serve `app` on the service's host and port until SIGINT or SIGTERM, then shut down gracefully.

    On uvloop's event loop: asyncio's API with the loop, its transports and timers in C. The standard
    loop's own Python was about a quarter of a service's CPU under load (`py-spy`), and a service spends
    5-7 % less CPU per journey on uvloop (`bench.lifecycle`, interleaved runs)."""
    uvloop.run(_serve(app, settings))


async def _serve(app: web.Application, settings: ServiceSettings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    grace = settings.shutdown_grace_seconds
    # Requests in flight get half the grace (their database calls have a deadline of their own); the
    # platform's drain and flush the rest.
    runner = PlatformRunner(app, shutdown_timeout=grace / 2, **handler_options(settings))
    await runner.setup()
    try:
        for site in sites(runner, settings):
            await site.start()
        log.debug("startup_heap_frozen", objects=freeze_startup_heap())
        await stop.wait()
    finally:
        # The cleanup is bounded, but what runs after it is not: the event loop's own teardown waits for
        # the tasks it cancels and the threads of its executor, and with the database gone the driver's
        # held it for seconds (12 s measured with a killed database). The process keeps the promise whole.
        watchdog = threading.Timer(grace + EXIT_MARGIN_SECONDS, _exit_now, args=(grace,))
        watchdog.daemon = True
        watchdog.start()
        await shut_down(runner, grace)


# What the process may take beyond the grace to end: past it, the process exits at once.
EXIT_MARGIN_SECONDS = 1.0


async def shut_down(runner: web.AppRunner, seconds: float) -> None:
    """Graceful, and over within `seconds` whatever a dependency does (a database gone or paused holds
    a drain or a flush until it gives up). What a cut leaves undone is safe to leave: an unacked message
    is redelivered, an unfinished transaction never commits, an unsent outbox row is sent after restart."""
    try:
        async with asyncio.timeout(seconds):
            await runner.cleanup()
    except TimeoutError:
        log.warning("shutdown_cut_short", after_seconds=seconds)


def _exit_now(grace: float) -> None:
    log.warning("shutdown_forced", after_seconds=grace + EXIT_MARGIN_SECONDS)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # graceful work is over or cut; nothing left is unsafe to leave (see shut_down)
