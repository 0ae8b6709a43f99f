"""The four services' public APIs, called with the operator's own token: the console has no back door."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Mapping
from typing import Any

import aiohttp
from prometheus_client import CollectorRegistry, Counter

from shared.metrics import SERVER_ERRORS

Params = Mapping[str, str | list[str]]
UNREACHABLE = "unreachable"  # the status label of a call no service answered


class UpstreamRefused(Exception):
    """A service answered with an error; `problem` is its RFC 9457 document (or what it sent instead)."""

    def __init__(self, service: str, status: int, problem: dict[str, Any]) -> None:
        super().__init__(f"{service} answered {status}: {problem.get('detail') or problem.get('title')}")
        self.service = service
        self.status = status
        self.problem = problem

    @property
    def message(self) -> str:
        detail = self.problem.get("detail") or self.problem.get("title") or "no detail"
        errors = self.problem.get("errors") or []
        fields = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in errors if isinstance(e, dict))
        return f"{detail} ({fields})" if fields else str(detail)


class UpstreamDown(Exception):
    """A service could not be reached within the timeout."""

    def __init__(self, service: str) -> None:
        super().__init__(f"{service} is not answering")
        self.service = service


class Upstream:
    """One HTTP session for every call; counts calls per service and outcome for /metrics."""

    def __init__(
        self, urls: Mapping[str, str], *, timeout_seconds: float, registry: CollectorRegistry
    ) -> None:
        self._session: aiohttp.ClientSession | None = None
        self._urls = dict(urls)
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._calls = Counter(
            "tradeguard_console_upstream_calls_total",
            "Calls from the console to the services' APIs.",
            ["service", "status"],
            registry=registry,
        )
        # Failures counted from zero, so the first one after a restart is an increase.
        for service in self._urls:
            for status in (UNREACHABLE, *map(str, sorted(SERVER_ERRORS))):
                self._calls.labels(service, status)

    async def open(self) -> None:
        """Inside the running loop (the app's cleanup context), before the first call."""
        self._session = aiohttp.ClientSession()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("Upstream.open() was not awaited")
        return self._session

    async def get(self, service: str, path: str, token: str, params: Params | None = None) -> Any:
        return await self._call(service, "GET", path, token, params=params)

    async def post(
        self, service: str, path: str, token: str, body: Any = None, *, idempotency_key: str | None = None
    ) -> Any:
        # A key carried by the form makes a double-submitted decision a replay, not a second decision.
        headers = {"Idempotency-Key": idempotency_key or uuid.uuid4().hex}
        return await self._call(service, "POST", path, token, json=body, headers=headers)

    async def put(self, service: str, path: str, token: str, body: Any) -> Any:
        return await self._call(
            service, "PUT", path, token, json=body, headers={"Idempotency-Key": uuid.uuid4().hex}
        )

    async def reachable(self, service: str) -> bool:
        try:
            async with self.session.get(
                f"{self._urls[service]}/healthz", timeout=aiohttp.ClientTimeout(total=2)
            ) as response:
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False

    async def _call(
        self,
        service: str,
        method: str,
        path: str,
        token: str,
        *,
        params: Params | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        sent = {"Authorization": f"Bearer {token}", "Accept": "application/json", **(headers or {})}
        query = [(name, item) for name, value in (params or {}).items() for item in _listed(value)]
        try:
            async with self.session.request(
                method,
                f"{self._urls[service]}{path}",
                params=query,
                json=json,
                headers=sent,
                timeout=self._timeout,
            ) as response:
                self._calls.labels(service, str(response.status)).inc()
                body = await response.json(content_type=None) if response.content_length != 0 else None
                if response.status >= 400:
                    raise UpstreamRefused(service, response.status, body if isinstance(body, dict) else {})
                return body
        except (aiohttp.ClientError, TimeoutError) as error:
            self._calls.labels(service, UNREACHABLE).inc()
            raise UpstreamDown(service) from error


async def absent_as_none(call: Awaitable[Any]) -> Any:
    """For what may not exist yet (a shipment before logistics opens it): a 404 reads as None."""
    try:
        return await call
    except UpstreamRefused as refusal:
        if refusal.status == 404:
            return None
        raise


def _listed(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]
