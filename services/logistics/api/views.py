"""Response models of the logistics API: what a buyer, a supplier or operations may read."""

from __future__ import annotations

from pydantic import BaseModel

from shared.clock import UtcDateTime
from shared.contracts.logistics import Criterion, InspectionAgency, ReturnReason
from shared.money import Money

from ..domain.inspection import Inspection, InspectionReport, InspectionStatus
from ..domain.promise import DeliveryPromise
from ..domain.returns import EasyReturn, ReturnLabel, ReturnStatus
from ..domain.routes import CountryCode, GuaranteedRoute
from ..domain.shipment import Dispatch, Shipment
from ..domain.tracking import CarrierEvent, TrackingStatus


class RouteView(BaseModel):
    """A Guaranteed route: a lane with a fixed carrier service, transit time and price."""

    route_id: str
    origin_country: CountryCode
    destination_country: CountryCode
    carrier_service: str
    transit_days: int
    destination_timezone: str
    price_per_unit: Money | None = None
    price_per_kg: Money | None = None
    active: bool = True

    @classmethod
    def of(cls, route: GuaranteedRoute) -> RouteView:
        return cls(
            route_id=route.route_id,
            origin_country=route.origin_country,
            destination_country=route.destination_country,
            carrier_service=route.carrier_service,
            transit_days=route.transit_days,
            destination_timezone=route.destination_timezone,
            price_per_unit=route.price_per_unit,
            price_per_kg=route.price_per_kg,
            active=route.active,
        )


class RouteList(BaseModel):
    routes: list[RouteView]


class LandedPriceView(BaseModel):
    """Guaranteed shipping for the quantity; goods and total when a unit price was given."""

    route_id: str
    carrier_service: str
    transit_days: int
    destination_timezone: str
    shipping: Money
    goods: Money | None = None
    total: Money | None = None


class ShipmentView(BaseModel):
    shipment_id: str
    order_id: str
    buyer_id: str
    supplier_id: str
    guaranteed: bool
    route_id: str | None
    destination_country: str
    inspection_required: bool
    promise: DeliveryPromise
    dispatch: Dispatch | None
    status: TrackingStatus
    status_since: UtcDateTime | None
    delivered_at: UtcDateTime | None
    cancelled_at: UtcDateTime | None
    tracking_events: list[CarrierEvent]

    @classmethod
    def of(cls, shipment: Shipment) -> ShipmentView:
        return cls.model_validate(shipment.model_dump(exclude={"sla_due_at"}))


class InspectionView(BaseModel):
    inspection_id: str
    order_id: str
    shipment_id: str
    agency: InspectionAgency
    criteria: list[Criterion]
    booked_at: UtcDateTime
    status: InspectionStatus
    report: InspectionReport | None

    @classmethod
    def of(cls, inspection: Inspection) -> InspectionView:
        return cls.model_validate(inspection.model_dump())


class ReturnView(BaseModel):
    return_id: str
    order_id: str
    shipment_id: str
    reason: ReturnReason
    claim_id: str | None
    label: ReturnLabel
    refund_amount: Money
    status: ReturnStatus
    issued_at: UtcDateTime
    received_at: UtcDateTime | None

    @classmethod
    def of(cls, ret: EasyReturn) -> ReturnView:
        return cls.model_validate(ret.model_dump())
