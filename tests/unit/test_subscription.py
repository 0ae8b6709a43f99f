"""A subscription's routes: a catch-all runs beside typed routes, and a retired producer is unbound."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, cast

from shared.messaging.envelope import Envelope, Event
from shared.messaging.subscription import AnyEvent, MessageContext, Subscription


class Dispatched(Event):
    TYPE: ClassVar[str] = "logistics.shipment_dispatched"
    order_id: str


class Booked(Event):
    TYPE: ClassVar[str] = "logistics.inspection_booked"
    order_id: str


def context_of(event: Event) -> MessageContext:
    envelope = Envelope.wrap(event, occurred_at=datetime(2026, 1, 1, tzinfo=UTC), correlation_id="c")
    return MessageContext(session=cast(Any, None), envelope=envelope, outbox=cast(Any, None))


def recording() -> tuple[Subscription, list[str]]:
    calls: list[str] = []

    async def typed(context: MessageContext, event: Dispatched) -> None:
        calls.append(f"typed {event.order_id}")

    async def every(context: MessageContext, event: AnyEvent) -> None:
        calls.append(f"every {event.model_dump()['order_id']}")

    return Subscription("logistics-events").on(Dispatched, typed).on_every_event_of("logistics", every), calls


async def test_an_event_with_a_typed_route_and_a_catch_all_gets_both_handlers_typed_first() -> None:
    subscription, calls = recording()
    route = subscription.route_for(Dispatched.TYPE, 1)
    assert route is not None

    event = Dispatched(order_id="o-1")
    await route.handler(context_of(event), route.model.model_validate(event.model_dump()))

    assert calls == ["typed o-1", "every o-1"]


async def test_an_event_without_a_typed_route_gets_the_catch_all_alone() -> None:
    subscription, calls = recording()
    route = subscription.route_for(Booked.TYPE, 1)
    assert route is not None

    event = Booked(order_id="o-2")
    await route.handler(context_of(event), route.model.model_validate(event.model_dump()))

    assert calls == ["every o-2"]


def test_a_catch_all_binds_the_whole_producer_once_for_every_typed_key_as_well() -> None:
    subscription, _ = recording()
    assert subscription.bindings() == {"logistics": {"logistics.#", Dispatched.routing_key()}}


def test_a_producer_no_longer_bound_is_unbound_yet_its_events_still_have_a_route() -> None:
    subscription, _ = recording()
    subscription.no_longer_bound_to("logistics")

    assert subscription.bindings() == {"logistics": {Dispatched.routing_key()}}
    assert subscription.retired_bindings() == {"logistics": {"logistics.#"}}
    assert subscription.takes_every_event_of() == []
    assert subscription.route_for(Booked.TYPE, 1) is not None


def test_an_event_no_longer_taken_is_unbound_yet_what_a_queue_still_holds_of_it_has_its_route() -> None:
    async def dispatched(context: MessageContext, event: Dispatched) -> None:
        return None

    async def booked(context: MessageContext, event: Booked) -> None:
        return None

    subscription = Subscription("logistics-events").on(Dispatched, dispatched)
    subscription.no_longer_taking(Booked, booked)

    assert subscription.bindings() == {"logistics": {Dispatched.routing_key()}}
    assert subscription.retired_bindings() == {"logistics": {Booked.routing_key()}}
    assert subscription.taken() == [Dispatched.routing_key()]
    assert subscription.route_for(Booked.TYPE, 1) is not None
