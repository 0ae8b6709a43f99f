"""Pre-shipment inspections: the buyer books one, the agency's signed result passes or blocks dispatch."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from shared.contracts.logistics import Criterion, InspectionAgency
from shared.security.access import Parties, Relation
from shared.security.jwt import Principal
from shared.store import value_of
from shared.unit_of_work import Transaction

from ..adapters.provider_messages import InspectionResultReport
from ..domain.errors import InspectionNotFoundError, NotOrderBuyerError, ShipmentNotFoundError
from ..domain.inspection import Inspection, book_inspection, record_inspection_result
from .access import SHIPMENTS
from .logistics import Logistics


async def book(
    logistics: Logistics,
    *,
    order_id: str,
    who: Principal,
    agency: InspectionAgency,
    criteria: Sequence[Criterion],
) -> Inspection:
    async def work(tx: Transaction) -> Inspection:
        stored = await logistics.shipments.of_order(order_id, session=tx.session)
        shipment = value_of(stored)
        SHIPMENTS.require(who, Parties.of(shipment), f"shipment of order {order_id}", {Relation.BUYER})
        assert stored is not None
        try:
            inspection, events = book_inspection(
                inspection_id=str(uuid.uuid4()),
                shipment=stored.value,
                buyer_id=who.sub,
                agency=agency,
                criteria=criteria,
                now=logistics.clock.now(),
            )
        except NotOrderBuyerError:
            raise ShipmentNotFoundError(f"no shipment for order {order_id}") from None
        await logistics.inspections.insert(inspection, session=tx.session)
        # The shipment learns it has one (and a dispatch racing this booking conflicts with it, not past it).
        booked = stored.value.with_inspection_booked()
        if booked is not stored.value:
            await logistics.shipments.save(booked, expected_version=stored.version, session=tx.session)
        await tx.emit_all(events)
        return inspection

    return await logistics.uow.run(work)


async def record_result(
    logistics: Logistics, agency: InspectionAgency, report: InspectionResultReport
) -> Inspection:
    """Apply the agency's report once; a repeated delivery of the same report changes nothing."""

    async def work(tx: Transaction) -> Inspection:
        stored = await logistics.inspections.get(report.inspection_id, session=tx.session)
        if stored is None or stored.value.agency is not agency:
            raise InspectionNotFoundError(f"{agency.value} has no inspection {report.inspection_id}")
        done = stored.value.report
        if done is not None and done.report_ref == report.report_ref:
            return stored.value
        completed, events = record_inspection_result(
            stored.value,
            report_ref=report.report_ref,
            measurements=report.measurements,
            inspected_at=report.inspected_at,
        )
        await logistics.inspections.save(completed, expected_version=stored.version, session=tx.session)
        await tx.emit_all(events)
        return completed

    return await logistics.uow.run(work)
