"""Confirmed, persistent, mandatory publishing: a publish returns only once the broker has the message."""

from __future__ import annotations

import asyncio

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractRobustConnection
from pamqp.commands import Basic

from shared.errors import Transient


class PublishFailed(Transient):
    """The broker did not confirm the message (nack, return, closed channel or timeout): retried, or a 503."""


class Publisher:
    """One confirm-mode channel shared by the outbox relay and the consumers' retry/park path."""

    def __init__(self, connection: AbstractRobustConnection, *, confirm_timeout: float = 10.0) -> None:
        self._connection = connection
        self._confirm_timeout = confirm_timeout
        self._channel: AbstractChannel | None = None
        self._exchanges: dict[str, AbstractExchange] = {}
        self._lock = asyncio.Lock()

    async def _ready_channel(self) -> AbstractChannel:
        async with self._lock:
            if self._channel is None or self._channel.is_closed:
                # on_return_raises: an unroutable mandatory message fails its publish instead of vanishing.
                self._channel = await self._connection.channel(publisher_confirms=True, on_return_raises=True)
                self._exchanges.clear()
            return self._channel

    async def _exchange(self, name: str) -> AbstractExchange:
        channel = await self._ready_channel()
        if name == "":
            return channel.default_exchange
        exchange = self._exchanges.get(name)
        if exchange is None:
            exchange = await channel.get_exchange(name, ensure=False)
            self._exchanges[name] = exchange
        return exchange

    async def publish(self, exchange: str, routing_key: str, message: aio_pika.Message) -> None:
        """Publish and wait for the broker's confirm; raise PublishFailed otherwise."""
        try:
            target = await self._exchange(exchange)
            confirmation = await target.publish(
                message, routing_key=routing_key, mandatory=True, timeout=self._confirm_timeout
            )
        except (aio_pika.exceptions.AMQPError, ConnectionError, TimeoutError, RuntimeError) as error:
            raise PublishFailed(f"{exchange}/{routing_key}: {error!r}") from error
        if not isinstance(confirmation, Basic.Ack):
            raise PublishFailed(f"{exchange}/{routing_key}: broker answered {confirmation!r}")

    async def close(self) -> None:
        if self._channel is not None and not self._channel.is_closed:
            await self._channel.close()
