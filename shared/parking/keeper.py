"""The parking-lot keeper: moves each message of the service's parking-lot queue into `parked_messages`.

Both ways into the parking lot end up there: a consumer parking a message (our headers say why) and the
broker dead-lettering one past the queue's delivery limit (its `x-death` header says why). A message is
acked only once its record is stored, so a crash in between redelivers it and the record is written again
under the same id.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue, AbstractRobustConnection

from shared.clock import Clock
from shared.messaging.topology import Topology
from shared.parking.lot import ParkingLot
from shared.parking.record import ParkedMessage

log = structlog.get_logger(__name__)

PREFETCH = 16
# While the database refuses records, a message goes back to the lot after this pause (no busy loop).
REQUEUE_PAUSE_SECONDS = 1.0


class ParkingLotKeeper:
    def __init__(self, lot: ParkingLot, topology: Topology, clock: Clock) -> None:
        self._lot = lot
        self._topology = topology
        self._clock = clock
        self._channel: AbstractChannel | None = None
        self._queue: AbstractQueue | None = None
        self._consumer_tag: str | None = None
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def consuming(self) -> bool:
        return self._consumer_tag is not None and self._channel is not None and not self._channel.is_closed

    async def start(self, connection: AbstractRobustConnection) -> None:
        self._channel = await connection.channel()
        await self._channel.set_qos(prefetch_count=PREFETCH)
        self._queue = await self._topology.declare_consumer_infrastructure(self._channel)
        self._consumer_tag = await self._queue.consume(self._on_message)

    async def stop(self, *, drain_timeout: float) -> None:
        if self._queue is not None and self._consumer_tag is not None:
            with contextlib.suppress(Exception):
                await self._queue.cancel(self._consumer_tag)
        self._consumer_tag = None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(drain_timeout):
                await self._idle.wait()
        if self._channel is not None and not self._channel.is_closed:
            await self._channel.close()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        self._in_flight += 1
        self._idle.clear()
        try:
            await self._keep(message)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    async def _keep(self, message: AbstractIncomingMessage) -> None:
        parked = ParkedMessage.of_parked_copy(message, self._clock.now())
        try:
            await self._lot.park(parked)
        except Exception as error:  # the message must stay in the lot until it is recorded
            log.warning("parked_message_not_recorded", parked_id=parked.id, error=repr(error))
            await asyncio.sleep(REQUEUE_PAUSE_SECONDS)
            with contextlib.suppress(Exception):
                await message.nack(requeue=True)
            return
        log.info("parked_message_recorded", parked_id=parked.id, queue=parked.queue, error=parked.error[:300])
        with contextlib.suppress(Exception):
            # A lost ack redelivers the message; recording it again changes nothing.
            await message.ack()
