"""A subscription: one queue, the event types it takes, and the handler of each — declared in one place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from pydantic import ConfigDict

from shared.messaging.envelope import Envelope, Event, routing_key
from shared.mongo import Session

E = TypeVar("E", bound=Event)


class AnyEvent(Event):
    """Any payload, untyped: for consumers that record events rather than act on their fields."""

    model_config = ConfigDict(frozen=True, extra="allow")
    TYPE: ClassVar[str] = "any.event"


class Recorder(Protocol):
    """Where a handler's follow-on events go: the outbox of its transaction (a fake one in handler tests)."""

    async def add(self, session: Session, event: Event) -> Envelope: ...


@dataclass(frozen=True)
class MessageContext:
    """What a handler gets besides the event: the transaction its effects must join, and the envelope."""

    session: Session
    envelope: Envelope
    outbox: Recorder

    async def emit(self, event: Event) -> Envelope:
        """Record a follow-on event in the same transaction, carrying this message's correlation."""
        return await self.outbox.add(self.session, event)


Handler = Callable[[MessageContext, E], Awaitable[None]]


@dataclass(frozen=True)
class Route(Generic[E]):
    model: type[E]
    handler: Handler[E]


@dataclass
class Subscription:
    """`Subscription("orders").on(OrderFunded, create_shipment)` — queue `<ns>.<service>.orders`."""

    name: str
    routes: dict[str, Route[Any]] = field(default_factory=dict)
    # Producer → handler of every event it publishes (read models such as an order timeline).
    catch_all: dict[str, Route[Any]] = field(default_factory=dict)
    # Producers whose events no longer reach the queue (their binding is removed), though still handled.
    retired: set[str] = field(default_factory=set)

    def on(self, model: type[E], handler: Handler[E]) -> Subscription:
        key = model.routing_key()
        if key in self.routes:
            raise ValueError(f"{self.name}: {key} already has a handler")
        self.routes[key] = Route(model, handler)
        return self

    def on_every_event_of(self, producer: str, handler: Handler[AnyEvent]) -> Subscription:
        """Take every event `producer` publishes, as a schema-less `AnyEvent` (the envelope is typed)."""
        if self.routes:
            raise ValueError(f"{self.name}: a catch-all subscription takes no typed routes")
        self.catch_all[producer] = Route(AnyEvent, handler)
        return self

    def no_longer_bound_to(self, producer: str) -> Subscription:
        """Stop `producer`'s events reaching the queue: a queue declared before keeps its binding until
        the consumer removes it (`retired_bindings`); messages it already holds are still handled."""
        if producer not in self.catch_all:
            raise ValueError(f"{self.name}: takes no catch-all of {producer}")
        self.retired.add(producer)
        return self

    def route_for(self, message_type: str, version: int) -> Route[Any] | None:
        exact = self.routes.get(routing_key(message_type, version))
        return exact or self.catch_all.get(message_type.split(".", 1)[0])

    def bindings(self) -> dict[str, set[str]]:
        """Producer → routing keys this subscription binds to."""
        result: dict[str, set[str]] = {
            producer: {f"{producer}.#"} for producer in self.catch_all if producer not in self.retired
        }
        for key, route in self.routes.items():
            result.setdefault(route.model.producer(), set()).add(key)
        return result

    def retired_bindings(self) -> dict[str, set[str]]:
        """Producer → routing keys a queue declared before may still be bound to, to unbind."""
        return {producer: {f"{producer}.#"} for producer in sorted(self.retired)}
