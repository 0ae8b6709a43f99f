"""After the faults: did every event reach every subscriber once, and is anything parked?

Reads what the services wrote (outboxes, inboxes, parked messages) and what the broker routes (bindings,
parking lots):
for each event a producer sent, every subscription whose binding matches it must hold that message id in
its inbox. Inbox ids are unique, so "applied twice" would need two effects of one message; the ledger
check and the per-order event counts catch that at the business level.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import aio_pika

from deploy.local.stack import LocalStack
from shared.messaging.inbox import INBOX
from shared.messaging.outbox import OUTBOX
from shared.mongo import connect
from shared.parking.lot import PARKED
from tests.fault.faults import BrokerControl


@dataclass(frozen=True)
class Binding:
    exchange: str
    queue: str
    pattern: str

    def matches(self, exchange: str, routing_key: str) -> bool:
        return exchange == self.exchange and topic_matches(self.pattern, routing_key)


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching: `*` stands for one word, `#` for zero or more."""
    words, keys = pattern.split("."), routing_key.split(".")

    def match(i: int, j: int) -> bool:
        if i == len(words):
            return j == len(keys)
        if words[i] == "#":
            return any(match(i + 1, k) for k in range(j, len(keys) + 1))
        return j < len(keys) and words[i] in ("*", keys[j]) and match(i + 1, j + 1)

    return match(0, 0)


@dataclass
class EventAudit:
    published: int = 0
    unsent: list[str] = field(default_factory=list)
    deliveries_expected: int = 0
    lost: list[str] = field(default_factory=list)  # "<queue> missed <type> <message_id>"
    repeated: list[str] = field(default_factory=list)  # "<type> for <order> ×n"
    parked: dict[str, int] = field(default_factory=dict)


async def event_bindings(broker: BrokerControl, namespace: str) -> list[Binding]:
    return [
        Binding(row["source_name"], row["destination_name"], row["routing_key"])
        for row in await broker.bindings()
        if row["destination_kind"] == "queue"
        and str(row["source_name"]).startswith(f"{namespace}.")
        and str(row["source_name"]).endswith(".events")
    ]


async def audit_events(
    stack: LocalStack, broker: BrokerControl, once_per_order: frozenset[str]
) -> EventAudit:
    """`once_per_order`: event types each order of the run may produce at most once."""
    audit = EventAudit()
    bindings = await event_bindings(broker, stack.namespace)
    clients = {
        service: connect(stack.database_url(service), app_name="chaos-audit") for service in stack.mongo_ports
    }
    try:
        inboxes: dict[str, set[str]] = {}
        for service, client in clients.items():
            found = await client[service][INBOX].find({}, {"_id": 1}).to_list()
            inboxes[service] = {str(document["_id"]) for document in found}
        per_order: Counter[tuple[str, str]] = Counter()
        for service, client in clients.items():
            async for row in client[service][OUTBOX].find({}):
                envelope = row["envelope"]
                audit.published += 1
                if not row["sent"]:
                    audit.unsent.append(f"{envelope['type']} {row['_id']}")
                if envelope["type"] in once_per_order:
                    per_order[(envelope["type"], str(envelope["payload"].get("order_id")))] += 1
                for binding in bindings:
                    if not binding.matches(row["exchange"], row["routing_key"]):
                        continue
                    audit.deliveries_expected += 1
                    consumer, subscription = _subscriber(stack.namespace, binding.queue)
                    if f"{subscription}:{row['_id']}" not in inboxes.get(consumer, set()):
                        audit.lost.append(f"{binding.queue} missed {envelope['type']} {row['_id']}")
        audit.repeated = [f"{kind} for {order} ×{n}" for (kind, order), n in per_order.items() if n > 1]
        # Parked: recorded by each service's keeper, or still in its parking-lot queue on the way there.
        waiting = await parking_lots(stack)
        audit.parked = {
            service: waiting[service] + await client[service][PARKED].count_documents({})
            for service, client in clients.items()
        }
    finally:
        for client in clients.values():
            await client.close()
    return audit


def _subscriber(namespace: str, queue: str) -> tuple[str, str]:
    """`<ns>.<service>.<subscription>` → (service, subscription)."""
    service, subscription = queue.removeprefix(f"{namespace}.").split(".", 1)
    return service, subscription


async def parking_lots(stack: LocalStack) -> dict[str, int]:
    """Messages in each service's parking lot (passive declares: nothing is created)."""
    counts: dict[str, int] = {}
    connection = await aio_pika.connect(stack.amqp_url)
    try:
        for service in stack.ports:
            channel = await connection.channel()
            queue = await channel.declare_queue(f"{stack.namespace}.{service}.parking-lot", passive=True)
            counts[service] = int(queue.declaration_result.message_count or 0)
            await channel.close()
    finally:
        await connection.close()
    return counts
