"""One kept-alive HTTP client per outbound peer of a process (a sandbox provider posting its webhooks).

A client session per call opened a TCP connection per call: a handshake, an accept and a new request
handler on the receiving service, and a connector of its own on the sending side, for every webhook. A
session kept for the life of the app reuses its connections, as a real provider's delivery workers do.
"""

from __future__ import annotations

import aiohttp
from aiohttp import web


class OutboundHttp:
    """The session, opened at the first call (it belongs to the event loop that makes it), closed with
    the app (`close_with`)."""

    def __init__(self, timeout_seconds: float) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def close_with(self, app: web.Application) -> None:
        """Close the session when `app` cleans up (after the last request it served)."""

        async def close(_: web.Application) -> None:
            await self.close()

        app.on_cleanup.append(close)
