"""The lists' query parameters and their items: a summary of each object and what it waits for."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from shared.clock import UtcDateTime
from shared.contracts.logistics import InspectionAgency, ReturnReason
from shared.http.pages import Page, PageQuery
from shared.money import Money
from shared.next_action import NextAction
from shared.paging import Listing, ListSpec
from shared.security.jwt import Principal
from shared.text import Identifier

from ..adapters.repositories import DISPATCH_DUE_FIELD, STAGE_FIELD
from ..domain.inspection import Inspection, InspectionStatus
from ..domain.returns import EasyReturn, ReturnStatus
from ..domain.shipment import Shipment, ShipmentStage
from ..domain.tracking import TrackingStatus
from ..handlers.lists import Listed
from .access import own_items


class PartyFilters(PageQuery):
    """Filters every logistics list takes; one on the caller's own party field narrows, never widens."""

    order_id: Identifier | None = None
    buyer_id: Identifier | None = Field(
        default=None, min_length=1, max_length=128, description="A buyer's items (a buyer sees only its own)."
    )
    supplier_id: Identifier | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        description="A supplier's items (a supplier sees only its own).",
    )

    sort: str

    def filters(self) -> dict[str, Any]:
        """The stored fields this query constrains, by value; None leaves a field free."""
        return {"order_id": self.order_id, "buyer_id": self.buyer_id, "supplier_id": self.supplier_id}

    def listing(self, spec: ListSpec, caller: Principal) -> Listing:
        """This request of `spec`, kept to the caller's own items."""
        return spec.listing(
            scope=own_items(caller),
            filters=self.filters(),
            ordering=self.sort,
            limit=self.limit,
            cursor=self.cursor,
        )


def _stored(value: StrEnum | None) -> str | None:
    return None if value is None else value.value


class ShipmentListQuery(PartyFilters):
    stage: ShipmentStage | None = None
    status: TrackingStatus | None = Field(default=None, description="The carrier's latest status.")
    dispatch_due_before: UtcDateTime | None = Field(
        default=None, description="Only shipments whose dispatch deadline is before this instant."
    )
    sort: Literal["newest", "dispatch_due"] = Field(
        default="newest",
        description="`newest`: most recently funded first; `dispatch_due`: earliest dispatch deadline first.",
    )

    def filters(self) -> dict[str, Any]:
        due_before = self.dispatch_due_before
        return {
            **super().filters(),
            "status": _stored(self.status),
            STAGE_FIELD: _stored(self.stage),
            DISPATCH_DUE_FIELD: {"$lt": due_before} if due_before is not None else None,
        }


class InspectionListQuery(PartyFilters):
    status: InspectionStatus | None = None
    sort: Literal["newest", "booked"] = Field(
        default="newest", description="`newest`: latest booking first; `booked`: longest waiting first."
    )

    def filters(self) -> dict[str, Any]:
        return {**super().filters(), "status": _stored(self.status)}


class ReturnListQuery(PartyFilters):
    status: ReturnStatus | None = None
    sort: Literal["newest"] = Field(default="newest", description="`newest`: latest label first.")

    def filters(self) -> dict[str, Any]:
        return {**super().filters(), "status": _stored(self.status)}


class ShipmentSummary(BaseModel):
    shipment_id: str
    order_id: str
    buyer_id: str
    supplier_id: str
    guaranteed: bool
    destination_country: str
    stage: ShipmentStage
    status: TrackingStatus
    dispatch_deadline: UtcDateTime
    promised_delivery_date: date
    dispatched_at: UtcDateTime | None
    delivered_at: UtcDateTime | None
    next_action: NextAction | None

    @classmethod
    def of(cls, listed: Listed[Shipment]) -> ShipmentSummary:
        shipment = listed.item
        return cls(
            **shipment.model_dump(
                include={"shipment_id", "order_id", "buyer_id", "supplier_id", "guaranteed", "status"}
            ),
            destination_country=shipment.destination_country,
            stage=shipment.stage,
            dispatch_deadline=shipment.promise.dispatch_deadline,
            promised_delivery_date=shipment.promise.promised_delivery_date,
            dispatched_at=shipment.dispatch.dispatched_at if shipment.dispatch else None,
            delivered_at=shipment.delivered_at,
            next_action=listed.next_action,
        )


class InspectionSummary(BaseModel):
    inspection_id: str
    order_id: str
    shipment_id: str
    buyer_id: str
    supplier_id: str
    agency: InspectionAgency
    booked_at: UtcDateTime
    status: InspectionStatus
    next_action: NextAction | None

    @classmethod
    def of(cls, listed: Listed[Inspection]) -> InspectionSummary:
        return cls.model_validate({**listed.item.model_dump(), "next_action": listed.next_action})


class ReturnSummary(BaseModel):
    return_id: str
    order_id: str
    shipment_id: str
    buyer_id: str
    supplier_id: str
    reason: ReturnReason
    claim_id: str | None
    refund_amount: Money
    status: ReturnStatus
    issued_at: UtcDateTime
    received_at: UtcDateTime | None
    next_action: NextAction | None

    @classmethod
    def of(cls, listed: Listed[EasyReturn]) -> ReturnSummary:
        return cls.model_validate({**listed.item.model_dump(), "next_action": listed.next_action})


class ShipmentPage(Page[ShipmentSummary]):
    pass


class InspectionPage(Page[InspectionSummary]):
    pass


class ReturnPage(Page[ReturnSummary]):
    pass
