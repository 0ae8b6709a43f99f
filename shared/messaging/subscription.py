"""A subscription: one queue, the event types it takes, and the handler of each — declared in one place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
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

    async def add_all(self, session: Session, events: Sequence[Event]) -> list[Envelope]: ...


@dataclass(frozen=True)
class MessageContext:
    """What a handler gets besides the event: the transaction its effects must join, and the envelope."""

    session: Session
    envelope: Envelope
    outbox: Recorder

    async def emit(self, event: Event) -> Envelope:
        """Record a follow-on event in the same transaction, carrying this message's correlation."""
        return await self.outbox.add(self.session, event)

    async def emit_all(self, events: Sequence[Event]) -> list[Envelope]:
        """Follow-on events recorded at once: one write."""
        return await self.outbox.add_all(self.session, events)


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
    # Producer → handler of every event it publishes (read models such as an order timeline), run beside
    # the typed route of an event that has one.
    catch_all: dict[str, Route[Any]] = field(default_factory=dict)
    # Producers whose events no longer reach the queue (their binding is removed), though still handled.
    retired: set[str] = field(default_factory=set)
    # Routing keys of typed routes no longer bound, likewise: a queue declared before may still hold some.
    retired_keys: set[str] = field(default_factory=set)

    def on(self, model: type[E], handler: Handler[E]) -> Subscription:
        key = model.routing_key()
        if key in self.routes:
            raise ValueError(f"{self.name}: {key} already has a handler")
        self.routes[key] = Route(model, handler)
        return self

    def on_every_event_of(self, producer: str, handler: Handler[AnyEvent]) -> Subscription:
        """Take every event `producer` publishes, as a schema-less `AnyEvent` (the envelope is typed).

        An event with a typed route here too gets both handlers, in its one transaction: a read model fed
        by every event rides on the queue of the subscription that acts on some of them, where a queue of
        its own would cost each of those events a second inbox claim and commit."""
        if producer in self.catch_all:
            raise ValueError(f"{self.name}: every event of {producer} already has a handler")
        self.catch_all[producer] = Route(AnyEvent, handler)
        return self

    def no_longer_bound_to(self, producer: str) -> Subscription:
        """Stop `producer`'s events reaching the queue: a queue declared before keeps its binding until
        the consumer removes it (`retired_bindings`); messages it already holds are still handled."""
        if producer not in self.catch_all:
            raise ValueError(f"{self.name}: takes no catch-all of {producer}")
        self.retired.add(producer)
        return self

    def no_longer_taking(self, model: type[E], handler: Handler[E]) -> Subscription:
        """Stop `model`'s events reaching the queue (its binding is removed); `handler` applies those a queue
        declared before still holds."""
        self.on(model, handler)
        self.retired_keys.add(model.routing_key())
        return self

    def taken(self) -> list[str]:
        """The routing keys of the typed routes still bound."""
        return sorted(key for key in self.routes if key not in self.retired_keys)

    def route_for(self, message_type: str, version: int) -> Route[Any] | None:
        exact = self.routes.get(routing_key(message_type, version))
        every = self.catch_all.get(message_type.split(".", 1)[0])
        if exact is None or every is None:
            return exact or every
        return Route(exact.model, _both(exact.handler, every.handler))

    def takes_every_event_of(self) -> list[str]:
        """The producers whose every event reaches this subscription's queue."""
        return [producer for producer in self.catch_all if producer not in self.retired]

    def bindings(self) -> dict[str, set[str]]:
        """Producer → routing keys this subscription binds to."""
        result: dict[str, set[str]] = {
            producer: {f"{producer}.#"} for producer in self.takes_every_event_of()
        }
        for key in self.taken():
            result.setdefault(self.routes[key].model.producer(), set()).add(key)
        return result

    def retired_bindings(self) -> dict[str, set[str]]:
        """Producer → routing keys a queue declared before may still be bound to, to unbind."""
        result: dict[str, set[str]] = {producer: {f"{producer}.#"} for producer in sorted(self.retired)}
        for key in sorted(self.retired_keys):
            result.setdefault(self.routes[key].model.producer(), set()).add(key)
        return result


def _both(typed: Handler[Any], every: Handler[AnyEvent]) -> Handler[Any]:
    """The typed route's handler, then the catch-all's on the same message (as an `AnyEvent`)."""

    async def handle(context: MessageContext, event: Event) -> None:
        await typed(context, event)
        await every(context, AnyEvent.model_validate(context.envelope.payload))

    return handle
