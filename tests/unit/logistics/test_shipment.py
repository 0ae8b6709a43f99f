from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.logistics.domain.errors import (
    RouteMismatchError,
    RouteNotFoundError,
    ShipmentAlreadyDispatchedError,
)
from services.logistics.domain.shipment import Shipment, ShipmentStage, cancel_shipment, create_shipment
from services.logistics.domain.tracking import TrackingStatus
from shared.contracts.logistics import ShipmentCreated

from .builders import FUNDED_AT, a_dispatched_shipment, a_funded_order, a_promise, a_route, a_shipment


def test_shipment_keeps_the_promise_escrow_fixed_at_funding() -> None:
    # given an order escrow funded with its promise: dispatch by 5 March, delivery on 10 March in Los Angeles
    order = a_funded_order(promise=a_promise())
    # when its shipment is created on a route that takes longer today than when the order was quoted
    shipment, events = create_shipment(shipment_id="s-1", order=order, route=a_route(transit_days=9))
    # then the shipment keeps escrow's promise as announced, and says so
    assert shipment.promise == order.promise
    assert shipment.promise.dispatch_deadline == FUNDED_AT + timedelta(hours=72)
    assert shipment.promise.promised_delivery_date == date(2026, 3, 10)
    assert shipment.route_id == "cn-us-express"
    assert events == [
        ShipmentCreated(
            order_id="order-1",
            shipment_id="s-1",
            buyer_id="buyer-1",
            supplier_id="supplier-1",
            guaranteed=True,
            route_id="cn-us-express",
            destination_country="US",
            dispatch_deadline=shipment.promise.dispatch_deadline,
            promised_delivery_date=date(2026, 3, 10),
            destination_timezone="America/Los_Angeles",
            delivery_late_from=shipment.promise.delivery_late_from,
        )
    ]


def test_guaranteed_order_needs_a_guaranteed_route() -> None:
    with pytest.raises(RouteNotFoundError):
        create_shipment(shipment_id="s-1", order=a_funded_order(), route=None)


def test_route_must_go_to_the_order_destination() -> None:
    berlin = a_route(destination_country="DE", destination_timezone="Europe/Berlin")
    with pytest.raises(RouteMismatchError):
        create_shipment(shipment_id="s-1", order=a_funded_order(), route=berlin)


def test_non_guaranteed_order_ships_without_a_route_on_its_contracts_promise() -> None:
    paris = a_promise(
        handling_time=timedelta(days=20),
        dispatch_deadline=FUNDED_AT + timedelta(days=20),
        transit_days=30,
        destination_timezone="Europe/Paris",
        promised_delivery_date=date(2026, 4, 21),
        delivery_late_from=datetime(2026, 4, 21, 22, 0, tzinfo=UTC),
    )
    order = a_funded_order(guaranteed=False, destination_country="FR", promise=paris)
    shipment, _ = create_shipment(shipment_id="s-1", order=order, route=None)
    assert shipment.route_id is None
    assert shipment.promise == paris


def test_cancelled_order_cancels_its_undispatched_shipment_once() -> None:
    now = FUNDED_AT + timedelta(hours=5)
    cancelled, _ = cancel_shipment(a_shipment(), now)
    again, _ = cancel_shipment(cancelled, now + timedelta(hours=1))
    assert cancelled.cancelled_at == now
    assert again == cancelled


def test_dispatched_shipment_cannot_be_cancelled() -> None:
    with pytest.raises(ShipmentAlreadyDispatchedError):
        cancel_shipment(a_dispatched_shipment(), FUNDED_AT + timedelta(days=2))


def test_shipment_survives_a_document_round_trip_with_its_sla_due_date() -> None:
    # given a dispatched shipment stored as a JSON document (with Mongo's _id)
    shipment = a_dispatched_shipment()
    document = shipment.model_dump(mode="json") | {"_id": "s-1"}
    # then the stored document carries the index field and loads back unchanged
    assert document["sla_due_at"] == "2026-03-11T07:00:00Z"
    assert Shipment.model_validate(document) == shipment


def test_shipment_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        a_promise(funded_at=datetime(2026, 3, 2, 10, 0))
    assert a_shipment().promise.funded_at.tzinfo is UTC


def test_the_promise_is_immutable() -> None:
    with pytest.raises(ValueError, match="frozen"):
        a_promise().transit_days = 1  # type: ignore[misc]


def test_a_shipments_stage_follows_dispatch_the_carriers_last_word_and_cancellation() -> None:
    # Given a shipment at each step of its life
    waiting = a_shipment()
    moving = a_dispatched_shipment()
    cancelled, _ = cancel_shipment(a_shipment(), FUNDED_AT + timedelta(hours=1))

    # Then its stage says where it stands for its parties
    assert waiting.stage is ShipmentStage.AWAITING_DISPATCH
    assert moving.stage is ShipmentStage.IN_TRANSIT
    assert moving.model_copy(update={"status": TrackingStatus.CUSTOMS_HOLD}).stage is ShipmentStage.IN_TRANSIT
    assert moving.model_copy(update={"status": TrackingStatus.DELIVERED}).stage is ShipmentStage.DELIVERED
    assert moving.model_copy(update={"status": TrackingStatus.LOST}).stage is ShipmentStage.INCIDENT
    assert cancelled.stage is ShipmentStage.CANCELLED
