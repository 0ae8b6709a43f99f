"""The read side: pages of shipments, inspections and returns, each item with its next action."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from shared.next_action import NextAction
from shared.paging import Listing, Slice

from ..domain.inspection import Inspection
from ..domain.next_action import inspection_next_action, return_next_action, shipment_next_action
from ..domain.returns import EasyReturn
from ..domain.shipment import Shipment
from .ports import InspectionPages, Pages, ShipmentPages

T = TypeVar("T")


@dataclass(frozen=True)
class Listed(Generic[T]):
    """A list item and what it waits for."""

    item: T
    next_action: NextAction | None


@dataclass(frozen=True)
class LogisticsLists:
    """Reads one page, then what its next actions depend on in one query per collection, never per item."""

    shipments: ShipmentPages
    inspections: InspectionPages
    returns: Pages[EasyReturn]

    async def shipment_page(self, listing: Listing) -> Slice[Listed[Shipment]]:
        found = await self.shipments.page(listing)
        inspected = {s.shipment_id for s in found.items if s.may_have_inspection}
        latest = await self.inspections.latest_of_each(inspected) if inspected else {}
        items = [Listed(s, shipment_next_action(s, latest.get(s.shipment_id))) for s in found.items]
        return Slice(items, found.next_cursor)

    async def inspection_page(self, listing: Listing) -> Slice[Listed[Inspection]]:
        found = await self.inspections.page(listing)
        shipment_ids = {inspection.shipment_id for inspection in found.items}
        shipments = await self.shipments.with_ids(shipment_ids)
        latest = await self.inspections.latest_of_each(shipment_ids)
        items = [
            Listed(
                inspection,
                inspection_next_action(
                    inspection, shipments.get(inspection.shipment_id), latest.get(inspection.shipment_id)
                ),
            )
            for inspection in found.items
        ]
        return Slice(items, found.next_cursor)

    async def return_page(self, listing: Listing) -> Slice[Listed[EasyReturn]]:
        found = await self.returns.page(listing)
        return Slice([Listed(ret, return_next_action(ret)) for ret in found.items], found.next_cursor)
