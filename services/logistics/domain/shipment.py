"""The shipment of one funded order: its parties, its immutable promise and what has happened since."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, computed_field

from shared.clock import UtcDateTime, require_utc
from shared.contracts.escrow import DeadlineKind, promise_broken
from shared.contracts.logistics import Parties, ShipmentCancelled, ShipmentCreated
from shared.messaging.envelope import Event

from .errors import RouteMismatchError, RouteNotFoundError, ShipmentAlreadyDispatchedError
from .promise import DeliveryPromise
from .routes import CountryCode, GuaranteedRoute
from .tracking import TERMINAL_STATUSES, CarrierEvent, TrackingStatus


class ShipmentStage(StrEnum):
    """Where a shipment stands for its parties; the carrier's finer status is `TrackingStatus`."""

    AWAITING_DISPATCH = "awaiting_dispatch"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    # Lost, damaged or returned to sender by the carrier.
    INCIDENT = "incident"
    CANCELLED = "cancelled"


class FundedOrder(BaseModel):
    """What logistics needs from escrow's `order_funded` to open a shipment, the promise included."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: str
    buyer_id: str
    supplier_id: str
    guaranteed: bool
    destination_country: CountryCode
    inspection_required: bool = False
    promise: DeliveryPromise


class Dispatch(BaseModel):
    """The supplier's hand-over to a carrier."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    carrier: str = Field(min_length=1)
    tracking_number: str = Field(min_length=1)
    dispatched_at: UtcDateTime


class Shipment(BaseModel):
    """Aggregate root. Stored documents also carry `_id` and the derived `sla_due_at`, hence extra=ignore."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    shipment_id: str
    order_id: str
    buyer_id: str
    supplier_id: str
    guaranteed: bool
    route_id: str | None
    destination_country: CountryCode
    inspection_required: bool
    # Whether the buyer has booked an inspection of it, so that dispatch and the lists read the inspections
    # only of the shipments that have one. None: stored before this was kept, so they are read.
    inspection_booked: bool | None = None
    promise: DeliveryPromise
    dispatch: Dispatch | None = None
    cancelled_at: UtcDateTime | None = None
    status: TrackingStatus = TrackingStatus.PENDING
    status_since: UtcDateTime | None = None
    tracking_events: tuple[CarrierEvent, ...] = ()
    delivered_at: UtcDateTime | None = None
    # Each notification is emitted once; these flags remember that it was.
    dispatch_breach_reported: bool = False
    delivery_breach_reported: bool = False
    loss_reported: bool = False
    damage_reported: bool = False

    def parties(self) -> Parties:
        return Parties(
            order_id=self.order_id,
            shipment_id=self.shipment_id,
            buyer_id=self.buyer_id,
            supplier_id=self.supplier_id,
        )

    @property
    def may_have_inspection(self) -> bool:
        return self.inspection_booked is not False

    def with_inspection_booked(self) -> Shipment:
        return self if self.inspection_booked else self.model_copy(update={"inspection_booked": True})

    def dispatched_on_time(self) -> bool:
        if self.dispatch is None:
            return False
        at = self.dispatch.dispatched_at
        return not promise_broken(DeadlineKind.DISPATCH, self.promise.dispatch_deadline, at, at)

    def delivered_on_time(self) -> bool:
        at = self.delivered_at
        return at is not None and not promise_broken(
            DeadlineKind.DELIVERY, self.promise.delivery_late_from, at, at
        )

    @property
    def stage(self) -> ShipmentStage:
        if self.cancelled_at is not None:
            return ShipmentStage.CANCELLED
        if self.dispatch is None:
            return ShipmentStage.AWAITING_DISPATCH
        if self.status is TrackingStatus.DELIVERED:
            return ShipmentStage.DELIVERED
        if self.status in TERMINAL_STATUSES:
            return ShipmentStage.INCIDENT
        return ShipmentStage.IN_TRANSIT

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sla_due_at(self) -> datetime | None:
        """Next instant the SLA monitor must look at this shipment; stored so sweeps read an index."""
        if self.cancelled_at is not None:
            return None
        if not self.dispatch_breach_reported and not self.dispatched_on_time():
            return self.promise.dispatch_deadline
        if not self.delivery_breach_reported and not self.delivered_on_time():
            return self.promise.delivery_late_from
        return None


def _check_route(order: FundedOrder, route: GuaranteedRoute | None) -> None:
    """Only Guaranteed routes carry Guaranteed orders, and only to their own destination."""
    if route is not None and route.destination_country != order.destination_country:
        raise RouteMismatchError(
            f"route {route.route_id} goes to {route.destination_country}, "
            f"the order to {order.destination_country}"
        )
    if route is None and order.guaranteed:
        raise RouteNotFoundError("a Guaranteed order must travel on a Guaranteed route")


def create_shipment(
    *, shipment_id: str, order: FundedOrder, route: GuaranteedRoute | None
) -> tuple[Shipment, list[Event]]:
    """Open the shipment of a funded order on escrow's promise (Guaranteed orders need their route)."""
    _check_route(order, route)
    promise = order.promise
    shipment = Shipment(
        shipment_id=shipment_id,
        order_id=order.order_id,
        buyer_id=order.buyer_id,
        supplier_id=order.supplier_id,
        guaranteed=order.guaranteed,
        route_id=route.route_id if route else None,
        destination_country=order.destination_country,
        inspection_required=order.inspection_required,
        inspection_booked=False,
        promise=promise,
    )
    created = ShipmentCreated(
        **shipment.parties(),
        guaranteed=shipment.guaranteed,
        route_id=shipment.route_id,
        destination_country=shipment.destination_country,
        dispatch_deadline=promise.dispatch_deadline,
        promised_delivery_date=promise.promised_delivery_date,
        destination_timezone=promise.destination_timezone,
        delivery_late_from=promise.delivery_late_from,
    )
    return shipment, [created]


def cancel_shipment(shipment: Shipment, now: datetime) -> tuple[Shipment, list[Event]]:
    """Stop a shipment whose order was cancelled; only possible before dispatch. Idempotent."""
    if shipment.dispatch is not None:
        raise ShipmentAlreadyDispatchedError(f"shipment {shipment.shipment_id} is already dispatched")
    if shipment.cancelled_at is not None:
        return shipment, []
    cancelled = shipment.model_copy(update={"cancelled_at": require_utc(now)})
    return cancelled, [ShipmentCancelled(**cancelled.parties(), cancelled_at=now)]
