from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.logistics.domain.errors import (
    RouteMismatchError,
    RouteNotFoundError,
    ShipmentAlreadyDispatchedError,
    TransitTermsMissingError,
)
from services.logistics.domain.shipment import Shipment, cancel_shipment, create_shipment
from shared.contracts.logistics import ShipmentCreated

from .builders import FUNDED_AT, POLICY, a_dispatched_shipment, a_funded_order, a_route, a_shipment


def test_shipment_is_created_with_the_promise_of_its_guaranteed_route() -> None:
    # given an order funded at 10:00 UTC with 72 h handling on a 5-day route to Los Angeles
    order = a_funded_order(funded_at=FUNDED_AT, handling_time=timedelta(hours=72))
    # when its shipment is created
    shipment, events = create_shipment(shipment_id="s-1", order=order, route=a_route(), policy=POLICY)
    # then the promise is fixed and announced
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
        create_shipment(shipment_id="s-1", order=a_funded_order(), route=None, policy=POLICY)


def test_route_must_go_to_the_order_destination() -> None:
    berlin = a_route(destination_country="DE", destination_timezone="Europe/Berlin")
    with pytest.raises(RouteMismatchError):
        create_shipment(shipment_id="s-1", order=a_funded_order(), route=berlin, policy=POLICY)


def test_non_guaranteed_order_uses_the_transit_terms_of_its_contract() -> None:
    order = a_funded_order(
        guaranteed=False,
        handling_time=timedelta(days=20),
        transit_days=30,
        destination_timezone="Europe/Paris",
    )
    shipment, _ = create_shipment(shipment_id="s-1", order=order, route=None, policy=POLICY)
    assert shipment.promise.transit_days == 30
    assert shipment.promise.destination_timezone == "Europe/Paris"


def test_non_guaranteed_order_without_transit_terms_is_refused() -> None:
    with pytest.raises(TransitTermsMissingError):
        create_shipment(shipment_id="s-1", order=a_funded_order(guaranteed=False), route=None, policy=POLICY)


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
        a_shipment(funded_at=datetime(2026, 3, 2, 10, 0))
    assert a_shipment().promise.funded_at.tzinfo is UTC
