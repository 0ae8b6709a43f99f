"""Builders for logistics domain tests: valid defaults, override what the test is about."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from services.logistics.domain.dispatch import dispatch_shipment
from services.logistics.domain.inspection import Inspection, book_inspection, record_inspection_result
from services.logistics.domain.policy import LogisticsPolicy
from services.logistics.domain.promise import DeliveryPromise
from services.logistics.domain.routes import GuaranteedRoute
from services.logistics.domain.shipment import FundedOrder, Shipment, create_shipment
from services.logistics.domain.tracking import CarrierEvent, TrackingStatus
from shared.contracts.logistics import Criterion, InspectionAgency
from shared.money import Money

FUNDED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
POLICY = LogisticsPolicy()
BUYER = "buyer-1"
SUPPLIER = "supplier-1"
TRACKING = "1Z999"


def usd(major: str) -> Money:
    return Money.from_major(major, "USD")


def a_route(**overrides: Any) -> GuaranteedRoute:
    fields: dict[str, Any] = {
        "route_id": "cn-us-express",
        "origin_country": "CN",
        "destination_country": "US",
        "carrier_service": "express-air",
        "transit_days": 5,
        "destination_timezone": "America/Los_Angeles",
        "price_per_unit": usd("2.50"),
    }
    return GuaranteedRoute(**(fields | overrides))


def a_promise(**overrides: Any) -> DeliveryPromise:
    """Escrow's promise of an order funded at FUNDED_AT: 72 h handling, 5 transit days to Los Angeles."""
    fields: dict[str, Any] = {
        "funded_at": FUNDED_AT,
        "handling_time": timedelta(hours=72),
        "dispatch_deadline": FUNDED_AT + timedelta(hours=72),
        "transit_days": 5,
        "destination_timezone": "America/Los_Angeles",
        "promised_delivery_date": date(2026, 3, 10),
        # The end of 10 March in Los Angeles (PDT since 8 March).
        "delivery_late_from": datetime(2026, 3, 11, 7, 0, tzinfo=UTC),
    }
    return DeliveryPromise(**(fields | overrides))


def a_funded_order(**overrides: Any) -> FundedOrder:
    fields: dict[str, Any] = {
        "order_id": "order-1",
        "buyer_id": BUYER,
        "supplier_id": SUPPLIER,
        "guaranteed": True,
        "destination_country": "US",
        "promise": a_promise(),
    }
    return FundedOrder(**(fields | overrides))


def a_shipment(**order_overrides: Any) -> Shipment:
    order = a_funded_order(**order_overrides)
    shipment, _ = create_shipment(
        shipment_id="shipment-1", order=order, route=a_route() if order.guaranteed else None
    )
    return shipment


def a_dispatched_shipment(at: datetime | None = None) -> Shipment:
    shipment = a_shipment()
    dispatched, _ = dispatch_shipment(
        shipment,
        supplier_id=SUPPLIER,
        carrier="ups",
        tracking_number=TRACKING,
        latest_inspection=None,
        now=at or FUNDED_AT + timedelta(hours=24),
    )
    return dispatched


def carrier_event(event_id: str, status: TrackingStatus, at: datetime) -> CarrierEvent:
    return CarrierEvent(event_id=event_id, tracking_number=TRACKING, status=status, occurred_at=at)


DEFECT_RATE = Criterion(name="defect_rate", unit="%", max_value=Decimal("2.5"))
QUANTITY = Criterion(name="quantity", unit="pcs", min_value=Decimal(1000))
LENGTH = Criterion(name="length", unit="mm", min_value=Decimal(99), max_value=Decimal(101))


def a_booked_inspection(shipment: Shipment | None = None) -> Inspection:
    inspection, _ = book_inspection(
        inspection_id="inspection-1",
        shipment=shipment or a_shipment(),
        buyer_id=BUYER,
        agency=InspectionAgency.SGS,
        criteria=[DEFECT_RATE, QUANTITY, LENGTH],
        now=FUNDED_AT + timedelta(hours=1),
    )
    return inspection


def a_completed_inspection(defect_rate: str) -> Inspection:
    completed, _ = record_inspection_result(
        a_booked_inspection(),
        report_ref="SGS-2026-0042",
        measurements={"defect_rate": Decimal(defect_rate), "quantity": Decimal(1000), "length": Decimal(100)},
        inspected_at=FUNDED_AT + timedelta(hours=30),
    )
    return completed
