"""An HTTP client for the whole platform as a person (or the demo) would use it: tokens, idempotency keys,
the sandbox test clock moved on every service at once."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from deploy.local.stack import SERVICES, LocalStack
from shared.security.keys import DevKeys, ensure_dev_keys, mint_token


class CallFailed(AssertionError):
    """A call answered with an unexpected status; the message carries the problem document."""

    def __init__(self, message: str, *, status: int, body: Any, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body
        # Seconds the service asked the client to wait (`Retry-After` of a 429 or 503), when it said.
        self.retry_after = retry_after

    @property
    def problem_type(self) -> str:
        """The last segment of the problem's `type` (`idempotency-in-progress`), or ''."""
        kind = self.body.get("type", "") if isinstance(self.body, dict) else ""
        return str(kind).rsplit("/", 1)[-1]


@dataclass
class PlatformClient:
    urls: dict[str, str]
    keys: DevKeys
    session: aiohttp.ClientSession = field(default_factory=aiohttp.ClientSession)

    @classmethod
    def for_stack(cls, stack: LocalStack) -> PlatformClient:
        """A client of a running local stack, trusting its development keys (create it inside the loop)."""
        return cls(
            urls={name: stack.url(name) for name in SERVICES}, keys=ensure_dev_keys(stack.home / "keys")
        )

    async def __aenter__(self) -> PlatformClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    def token(self, sub: str, role: str, tier: str | None = None) -> str:
        return mint_token(
            self.keys.private_key_path,
            sub=sub,
            role=role,
            tier=tier,
            audience="tradeguard",
            issuer="tradeguard-dev-idp",
        )

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json: Any = None,
        params: dict[str, str] | None = None,
        expect: int | tuple[int, ...] = (200, 201, 202),
        idempotency_key: str | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Send one request and return the JSON body.

        Mutations carry an Idempotency-Key: a fresh one unless the caller retries an earlier attempt's.
        """
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if method != "GET":
            headers["Idempotency-Key"] = idempotency_key or uuid.uuid4().hex
        async with self.session.request(
            method,
            f"{self.urls[service]}{path}",
            json=json,
            params=params,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout) if timeout else self.session.timeout,
        ) as response:
            body = await response.json(content_type=None) if response.content_length != 0 else None
            expected = (expect,) if isinstance(expect, int) else expect
            if response.status not in expected:
                raise CallFailed(
                    f"{method} {service}{path} → {response.status}: {body}",
                    status=response.status,
                    body=body,
                    retry_after=_seconds(response.headers.get("Retry-After")),
                )
            return body

    async def advance_clock(self, seconds: int, *, timeout: float = 30.0) -> None:
        """Jump every service's test clock ahead and wait until all four have moved."""
        moved = await self.call("escrow", "POST", "/sandbox/clock/advance", json={"seconds": seconds})
        target = moved["offset_seconds"]
        async with asyncio.timeout(timeout):
            for service in SERVICES:
                while (await self.call(service, "GET", "/sandbox/clock"))["offset_seconds"] < target:
                    await asyncio.sleep(0.05)

    async def close(self) -> None:
        await self.session.close()


def _seconds(retry_after: str | None) -> float | None:
    """`Retry-After` in its delay-seconds form (the only one the platform sends); anything else is ignored."""
    return float(retry_after) if retry_after is not None and retry_after.isdigit() else None
