"""The parking lot as operators work it: list and inspect parked messages, replay them, discard them.

Parked messages live in the service's `parked_messages` collection (the keeper moves them there from
the broker's parking-lot queue), so listing is an indexed query and a record is found by id. A replay
publishes the stored bytes back to the queue they failed on through the service's requeue exchange, with
confirms, and only then removes the record: a crash in between leaves the record to replay again, and the
consumer's inbox applies the message at most once however often it arrives. Every replay and discard
leaves an audit entry (who, when, why) in `parked_message_audit` and a log line.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import aio_pika
import structlog
from pymongo import ASCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from shared.clock import Clock
from shared.errors import Transient
from shared.messaging.consumer import ROUTING_KEY_HEADER
from shared.messaging.publisher import PublishFailed
from shared.messaging.topology import Topology, persistent_message
from shared.metrics import PlatformMetrics
from shared.mongo import Document, Indexes, Session, run_in_transaction
from shared.paging import ListSpec, Ordering, Slice, read_page
from shared.parking.record import ParkedMessage
from shared.security.jwt import Principal

log = structlog.get_logger(__name__)

PARKED = "parked_messages"
PARKED_AUDIT = "parked_message_audit"
REPLAY_BATCH = 100

Publish = Callable[[str, str, aio_pika.Message], Awaitable[None]]

# Operators read a queue's parked messages oldest first, or every queue's at once.
PARKED_LIST = ListSpec(
    name="parked_messages",
    collection=PARKED,
    scopes=((), ("queue",)),
    filters=frozenset({"queue"}),
    orderings=(Ordering("oldest", (("parked_at", ASCENDING),)),),
)
PARKING_INDEXES = (
    # Replaying a whole queue walks it by id: a message parked again meanwhile is not replayed twice.
    Indexes(PARKED, [IndexModel([("queue", ASCENDING), ("_id", ASCENDING)], name="replay_walk")]),
    Indexes(PARKED_AUDIT, [IndexModel([("parked_id", ASCENDING), ("at", ASCENDING)], name="by_message")]),
)


@dataclass(frozen=True)
class Audited:
    """What an operator did to a parked message, as the audit keeps it."""

    action: str
    parked_id: str
    queue: str
    by: str
    role: str
    at: datetime
    reason: str | None = None


class ParkingLot:
    def __init__(
        self,
        client: AsyncMongoClient[Document],
        db: AsyncDatabase[Document],
        topology: Topology,
        clock: Clock,
        metrics: PlatformMetrics,
        publish: Publish,
    ) -> None:
        self._client = client
        self._parked = db[PARKED]
        self._audit = db[PARKED_AUDIT]
        self._topology = topology
        self._clock = clock
        self._metrics = metrics
        self._publish = publish

    async def park(self, parked: ParkedMessage) -> None:
        """Record (or refresh) a parked message; parked twice, it stays one record."""
        await self._parked.replace_one({"_id": parked.id}, parked.document(), upsert=True)
        await self.count(parked.queue)

    async def page(self, *, queue: str | None, limit: int, cursor: str | None) -> Slice[ParkedMessage]:
        listing = PARKED_LIST.listing(scope={}, filters={"queue": queue}, limit=limit, cursor=cursor)
        found = await read_page(self._parked, listing)
        return Slice([ParkedMessage.of_document(document) for document in found.items], found.next_cursor)

    async def find(self, parked_id: str) -> ParkedMessage | None:
        document = await self._parked.find_one({"_id": parked_id})
        return None if document is None else ParkedMessage.of_document(document)

    async def replay(self, parked: ParkedMessage, by: Principal) -> Audited:
        """Send the message back to its queue as if it were new (no attempts counted), then forget it."""
        message = persistent_message(
            parked.body,
            message_id=parked.message_id,
            message_type=parked.message_type,
            correlation_id=parked.correlation_id,
            headers={ROUTING_KEY_HEADER: parked.routing_key},
        )
        try:
            await self._publish(self._topology.requeue_exchange, parked.queue, message)
        except PublishFailed as error:
            raise Transient(f"the broker did not take the replay of {parked.id}: {error}") from error
        entry = Audited("replayed", parked.id, parked.queue, by.sub, by.role, self._clock.now())

        async def settle(session: Session) -> None:
            # Only this parking's record: parked again since it was read, the new record stays.
            await self._parked.delete_one({"_id": parked.id, "parking": parked.parking}, session=session)
            await self._audit.insert_one(_audit_document(entry, parked), session=session)

        await run_in_transaction(self._client, settle)
        log.info("parked_message_replayed", **_log_fields(entry, parked))
        await self.count(parked.queue)
        return entry

    async def replay_queue(self, queue: str, by: Principal) -> int:
        """Replay every message parked on `queue` when the walk reaches it; returns how many."""
        replayed, after = 0, ""
        while True:
            found = self._parked.find({"queue": queue, "_id": {"$gt": after}}, sort=[("_id", ASCENDING)])
            batch = await found.limit(REPLAY_BATCH).to_list()
            if not batch:
                return replayed
            for document in batch:
                await self.replay(ParkedMessage.of_document(document), by)
                replayed += 1
            after = batch[-1]["_id"]

    async def discard(self, parked_id: str, by: Principal, reason: str) -> Audited | None:
        """Drop a parked message for good, keeping it and the operator's reason in the audit."""

        async def drop(session: Session) -> tuple[Audited, ParkedMessage] | None:
            document = await self._parked.find_one_and_delete({"_id": parked_id}, session=session)
            if document is None:
                return None
            parked = ParkedMessage.of_document(document)
            entry = Audited("discarded", parked.id, parked.queue, by.sub, by.role, self._clock.now(), reason)
            await self._audit.insert_one(_audit_document(entry, parked), session=session)
            return entry, parked

        dropped = await run_in_transaction(self._client, drop)
        if dropped is None:
            return None
        entry, parked = dropped
        log.warning("parked_message_discarded", **_log_fields(entry, parked))
        await self.count(entry.queue)
        return entry

    async def audit_of(self, parked_id: str) -> list[Audited]:
        documents = await self._audit.find({"parked_id": parked_id}, sort=[("at", ASCENDING)]).to_list()
        return [
            Audited(d["action"], d["parked_id"], d["queue"], d["by"], d["role"], d["at"], d.get("reason"))
            for d in documents
        ]

    async def count(self, *queues: str) -> None:
        """Set the parked-messages gauge of each queue (and of any queue holding parked messages)."""
        holding = await self._parked.distinct("queue")
        for queue in dict.fromkeys([*queues, *holding]):
            parked = await self._parked.count_documents({"queue": queue})
            self._metrics.parked_messages.labels(queue).set(parked)


def _audit_document(entry: Audited, parked: ParkedMessage) -> Document:
    return {
        "_id": str(uuid.uuid4()),
        "action": entry.action,
        "parked_id": entry.parked_id,
        "queue": entry.queue,
        "by": entry.by,
        "role": entry.role,
        "at": entry.at,
        "reason": entry.reason,
        # The message itself: after a discard this is the only copy left.
        "message": {key: value for key, value in parked.document().items() if key != "_id"},
    }


def _log_fields(entry: Audited, parked: ParkedMessage) -> dict[str, object]:
    return {
        "parked_id": entry.parked_id,
        "queue": entry.queue,
        "message_id": parked.message_id,
        "message_type": parked.message_type,
        "by": entry.by,
        "role": entry.role,
        "reason": entry.reason,
    }
