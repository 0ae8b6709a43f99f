"""Waiting for an asynchronous effect: poll its condition, never sleep a fixed time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def eventually(
    condition: Callable[[], Awaitable[bool]], *, timeout: float = 20.0, interval: float = 0.05
) -> None:
    """Poll an asynchronous condition until it holds; fail with a clear error after `timeout`."""
    async with asyncio.timeout(timeout):
        while not await condition():
            await asyncio.sleep(interval)
