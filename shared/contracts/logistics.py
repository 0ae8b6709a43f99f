"""What logistics tells the others: shipment, inspection and return events (`logistics.<event>.v1`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Self, TypedDict

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.clock import UtcDateTime
from shared.messaging.envelope import Event
from shared.money import Money


class InspectionAgency(StrEnum):
    SGS = "sgs"
    BUREAU_VERITAS = "bureau_veritas"
    INTERTEK = "intertek"


class Criterion(BaseModel):
    """A named measurement with bounds, e.g. defect_rate ≤ 2.5 %, quantity ≥ 1000 pcs, length 99–101 mm."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    unit: str = Field(min_length=1, examples=["%", "pcs", "mm"])
    min_value: Decimal | None = None
    max_value: Decimal | None = None

    @model_validator(mode="after")
    def _bounded(self) -> Self:
        if self.min_value is None and self.max_value is None:
            raise ValueError(f"criterion {self.name!r} needs a minimum, a maximum or both")
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise ValueError(f"criterion {self.name!r} has minimum above maximum")
        return self

    def is_met_by(self, measured: Decimal) -> bool:
        """Bounds are inclusive: a measurement equal to the limit passes."""
        above_min = self.min_value is None or measured >= self.min_value
        below_max = self.max_value is None or measured <= self.max_value
        return above_min and below_max


class CriterionResult(BaseModel):
    """One criterion's outcome in an inspection report."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    criterion: Criterion
    measured: Decimal
    passed: bool


class ReturnReason(StrEnum):
    QUALITY_NOT_AS_AGREED = "quality_not_as_agreed"
    DEFECTIVE = "defective"
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    CHANGED_MIND = "changed_mind"
    NO_LONGER_NEEDED = "no_longer_needed"
    # A mediator's decision requires the goods back; not an Easy Return reason.
    DISPUTE_DECISION = "dispute_decision"


class Parties(TypedDict):
    """The identifying fields shared by every logistics event."""

    order_id: str
    shipment_id: str
    buyer_id: str
    supplier_id: str


class GuaranteedRouteUpserted(Event):
    """Ops created or changed a Guaranteed route; catalog keeps a read model of them for its quotes."""

    TYPE = "logistics.guaranteed_route_upserted"
    VERSION = 1

    route_id: str
    origin: str
    destination: str
    carrier_service: str
    transit_days: int
    price_per_unit: Money | None
    price_per_kg: Money | None
    destination_timezone: str
    active: bool


class ShipmentEvent(Event):
    """Fields every logistics event carries: the order, its shipment and both parties."""

    order_id: str
    shipment_id: str
    buyer_id: str
    supplier_id: str


class ShipmentCreated(ShipmentEvent):
    TYPE = "logistics.shipment_created"
    VERSION = 1

    guaranteed: bool
    route_id: str | None
    destination_country: str
    dispatch_deadline: UtcDateTime
    promised_delivery_date: date
    destination_timezone: str
    delivery_late_from: UtcDateTime


class ShipmentDispatched(ShipmentEvent):
    TYPE = "logistics.shipment_dispatched"
    VERSION = 1

    carrier: str
    tracking_number: str
    dispatched_at: UtcDateTime
    dispatch_deadline: UtcDateTime
    on_time: bool


class ShipmentCancelled(ShipmentEvent):
    """The order was cancelled before dispatch: nothing will be shipped, and no deadline of it runs."""

    TYPE = "logistics.shipment_cancelled"
    VERSION = 1

    cancelled_at: UtcDateTime


class ShipmentDelivered(ShipmentEvent):
    TYPE = "logistics.shipment_delivered"
    VERSION = 1

    delivered_at: UtcDateTime = Field(description="The carrier's delivery timestamp.")
    promised_delivery_date: date
    on_time: bool


class DispatchDeadlineMissed(ShipmentEvent):
    TYPE = "logistics.dispatch_deadline_missed"
    VERSION = 1

    guaranteed: bool
    dispatch_deadline: UtcDateTime
    detected_at: UtcDateTime


class DeliveryDeadlineMissed(ShipmentEvent):
    TYPE = "logistics.delivery_deadline_missed"
    VERSION = 1

    guaranteed: bool
    promised_delivery_date: date
    delivery_late_from: UtcDateTime
    detected_at: UtcDateTime


class ShipmentLost(ShipmentEvent):
    """Opens a platform case in disputes."""

    TYPE = "logistics.shipment_lost"
    VERSION = 1

    carrier: str
    tracking_number: str
    reported_at: UtcDateTime = Field(description="The carrier's timestamp of the loss report.")


class ShipmentDamaged(ShipmentEvent):
    """Opens a platform case in disputes."""

    TYPE = "logistics.shipment_damaged"
    VERSION = 1

    carrier: str
    tracking_number: str
    reported_at: UtcDateTime = Field(description="The carrier's timestamp of the damage report.")


class InspectionBooked(ShipmentEvent):
    TYPE = "logistics.inspection_booked"
    VERSION = 1

    inspection_id: str
    agency: InspectionAgency
    criteria: tuple[Criterion, ...]
    booked_at: UtcDateTime


class InspectionCompleted(ShipmentEvent):
    """The agency's report; a failed one blocks dispatch and opens a claim in disputes."""

    TYPE = "logistics.inspection_completed"
    VERSION = 1

    inspection_id: str
    agency: InspectionAgency
    report_ref: str
    passed: bool
    results: tuple[CriterionResult, ...]
    inspected_at: UtcDateTime


class ReturnLabelIssued(ShipmentEvent):
    TYPE = "logistics.return_label_issued"
    VERSION = 1

    return_id: str
    reason: ReturnReason
    claim_id: str | None = Field(default=None, description="Set when a dispute decision asked for it.")
    carrier: str
    tracking_number: str
    warehouse_id: str
    issued_at: UtcDateTime


class ReturnReceived(ShipmentEvent):
    """The warehouse scanned the return: escrow refunds `refund_amount`.

    A dispute return (`claim_id` set) carries a zero amount: the decision's `disputes.refund_requested`
    pays, so escrow must not refund twice.
    """

    TYPE = "logistics.return_received"
    VERSION = 1

    return_id: str
    claim_id: str | None = None
    warehouse_id: str
    refund_amount: Money
    received_at: UtcDateTime
