"""What a shipment, an inspection or a return waits for, from whom, and until when.

Each answer comes from the rule that enforces it: the inspection gate is `ensure_inspection_allows_dispatch`
itself, and the dates are the promise's instants the SLA monitor judges by (`sla.is_dispatch_late` from
`dispatch_deadline`, `sla.is_delivery_late` from `delivery_late_from`). A step no rule puts a date on has
no `due_at`.
"""

from __future__ import annotations

from shared.next_action import Actor, NextAction

from .errors import DispatchBlockedByFailedInspectionError, InspectionPendingError, InspectionRequiredError
from .inspection import Inspection, ensure_inspection_allows_dispatch
from .returns import EasyReturn, ReturnStatus
from .shipment import Shipment
from .tracking import TERMINAL_STATUSES

DISPATCH = "dispatch"
DELIVER = "deliver"
BOOK_INSPECTION = "book_inspection"
REPORT_INSPECTION = "report_inspection"
SHIP_RETURN = "ship_return"
DELIVER_RETURN = "deliver_return"


def shipment_next_action(shipment: Shipment, latest_inspection: Inspection | None) -> NextAction | None:
    """Dispatch (or the inspection it waits on) by the dispatch deadline, then delivery before it is late."""
    if shipment.cancelled_at is not None:
        return None
    if shipment.dispatch is None:
        return _before_dispatch(shipment, latest_inspection)
    if shipment.status in TERMINAL_STATUSES:
        # Delivered: receipt and release are escrow's rules; lost or damaged: a platform case is open.
        return None
    return NextAction(actor=Actor.CARRIER, action=DELIVER, due_at=shipment.promise.delivery_late_from)


def _before_dispatch(shipment: Shipment, latest_inspection: Inspection | None) -> NextAction | None:
    # Whoever holds dispatch up acts against the supplier's deadline: the SLA monitor judges it regardless.
    deadline = shipment.promise.dispatch_deadline
    try:
        ensure_inspection_allows_dispatch(latest_inspection, shipment.inspection_required)
    except InspectionRequiredError:
        return NextAction(actor=Actor.BUYER, action=BOOK_INSPECTION, due_at=deadline)
    except InspectionPendingError:
        return NextAction(actor=Actor.INSPECTION_AGENCY, action=REPORT_INSPECTION, due_at=deadline)
    except DispatchBlockedByFailedInspectionError:
        # The failed report went to disputes as a claim: the goods wait for its outcome, decided there.
        return None
    return NextAction(actor=Actor.SUPPLIER, action=DISPATCH, due_at=deadline)


def inspection_next_action(
    inspection: Inspection, shipment: Shipment | None, latest_of_shipment: Inspection | None
) -> NextAction | None:
    """The agency's report, then the supplier's dispatch it releases: the shipment's own next action.

    Only the shipment's latest inspection gates its dispatch (`ensure_inspection_allows_dispatch`), so an
    earlier one asks nothing more.
    """
    if shipment is None or latest_of_shipment is None:
        return None
    if latest_of_shipment.inspection_id != inspection.inspection_id:
        return None
    follows = shipment_next_action(shipment, inspection)
    if follows is None or follows.action not in (REPORT_INSPECTION, DISPATCH):
        return None
    return follows


def return_next_action(ret: EasyReturn) -> NextAction | None:
    """The buyer ships the parcel on its label, the carrier brings it to the warehouse, whose scan refunds.

    No rule sets a date for either step, so neither has a `due_at`; once received, the refund it triggers
    is escrow's, on `return_received`.
    """
    if ret.status is ReturnStatus.LABEL_ISSUED:
        return NextAction(actor=Actor.BUYER, action=SHIP_RETURN)
    if ret.status is ReturnStatus.IN_TRANSIT:
        return NextAction(actor=Actor.CARRIER, action=DELIVER_RETURN)
    return None
