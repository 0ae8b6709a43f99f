"""A toy producer/consumer pair on the real platform: the messaging tests prove guarantees with it and
bench/messaging measures it."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from pymongo.asynchronous.database import AsyncDatabase

from shared.errors import Rejected, Transient
from shared.messaging.envelope import Event
from shared.messaging.outbox import OUTBOX
from shared.messaging.subscription import MessageContext, Subscription
from shared.mongo import DatabaseUnavailable, Document, Session
from shared.platform import Platform
from shared.settings import ServiceSettings


class ThingHappened(Event):
    TYPE: ClassVar[str] = "toyproducer.thing_happened"
    thing_id: str
    explode: bool = False
    refuse: bool = False


class ToySettings(ServiceSettings):
    SERVICE: ClassVar[str] = "toy"


def toy_settings(
    *, service: str, mongo_url: str, db: str, amqp_url: str, namespace: str, **overrides: object
) -> ToySettings:
    values: dict[str, object] = {
        "service_name": service,
        "mongo_url": mongo_url,
        "mongo_db": db,
        "amqp_url": amqp_url,
        "amqp_namespace": namespace,
        "retry_delays_ms": [50, 100],
        "relay_sweep_seconds": 0.5,
        "relay_max_backoff_seconds": 1.0,
        "shutdown_grace_seconds": 5.0,
    }
    values.update(overrides)
    return ToySettings.model_validate(values)


class EffectCounter:
    """The consumer's effect: one document per thing, counting how many times the handler applied it."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection = db["effects"]
        self.attempts: dict[str, int] = {}
        self.gate: asyncio.Event | None = None
        self.transient_failures: dict[str, int] = {}
        # Attempts that find the database gone (what a transaction that gave up on it raises).
        self.database_outages: dict[str, int] = {}
        # Things a rule refuses until the cause is fixed (removed from the set): replays then succeed.
        self.refused: set[str] = set()
        self.entered = asyncio.Event()

    async def apply(self, context: MessageContext, event: ThingHappened) -> None:
        self.attempts[event.thing_id] = self.attempts.get(event.thing_id, 0) + 1
        if event.explode:
            raise RuntimeError(f"handler refuses {event.thing_id}")
        if event.refuse or event.thing_id in self.refused:
            raise Rejected(f"a rule refuses {event.thing_id}")
        if self.database_outages.get(event.thing_id, 0) > 0:
            self.database_outages[event.thing_id] -= 1
            raise DatabaseUnavailable(f"the database did not answer while applying {event.thing_id}")
        if self.transient_failures.get(event.thing_id, 0) > 0:
            self.transient_failures[event.thing_id] -= 1
            raise Transient(f"downstream blip while applying {event.thing_id}")
        self.entered.set()
        if self.gate is not None:
            await self.gate.wait()
        await self.collection.update_one(
            {"_id": event.thing_id}, {"$inc": {"applied": 1}}, upsert=True, session=context.session
        )

    async def applied(self, thing_id: str) -> int:
        document = await self.collection.find_one({"_id": thing_id})
        return int(document["applied"]) if document else 0

    async def total(self) -> int:
        return await self.collection.count_documents({})


def subscription(counter: EffectCounter) -> Subscription:
    return Subscription("things").on(ThingHappened, counter.apply)


async def record_thing(
    platform: Platform, thing_id: str, *, explode: bool = False, refuse: bool = False
) -> None:
    """A producer state change and its event, committed together."""

    async def work(session: Session) -> None:
        await platform.db["things"].insert_one({"_id": thing_id}, session=session)
        await platform.record(session, ThingHappened(thing_id=thing_id, explode=explode, refuse=refuse))

    await platform.transaction(work)


async def all_marked_sent(platform: Platform) -> bool:
    """Every outbox row of the platform is marked sent (the relay marks confirmed rows a moment later)."""
    return await platform.db[OUTBOX].count_documents({"sent": False}) == 0


def handled(platform: Platform, outcome: str) -> float:
    """How many toy messages the platform's consumer finished with this outcome (handled, duplicate…)."""
    labels = {"subscription": "things", "outcome": outcome}
    return platform.metrics.registry.get_sample_value("tradeguard_messages_handled_total", labels) or 0


class ToyConsumer:
    """Builds the consumer's subscription on its own database, as a service's composition root does."""

    def __init__(self) -> None:
        self.counter: EffectCounter | None = None

    def __call__(self, platform: Platform) -> list[Subscription]:
        self.counter = EffectCounter(platform.db)
        return [subscription(self.counter)]

    @property
    def effects(self) -> EffectCounter:
        assert self.counter is not None, "consumer not started"
        return self.counter
