"""Escrow, logistics and disputes read a promise alike: at its boundary instant and one step either side.

A dispatch at its deadline keeps the promise; a delivery at `delivery_late_from` (the local midnight ending
the promised day) breaks it. Each service asks `shared.contracts.escrow.promise_broken`, so they agree.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.disputes.domain.claim_opening import open_claim
from services.disputes.domain.errors import ClaimPrematureError
from services.disputes.domain.orders import OrderView, record_delivery, record_dispatch
from services.escrow.domain.compensation import record_missed_by_promise
from services.escrow.domain.lifecycle import record_delivery as escrow_delivery
from services.escrow.domain.lifecycle import record_shipment
from services.logistics.domain.shipment import Shipment
from services.logistics.domain.sla import is_delivery_late, is_dispatch_late
from shared.contracts.disputes import ClaimReason, RequestedOutcome
from shared.contracts.escrow import DeadlineKind, promise_broken
from tests.unit.disputes.factories import BUYER, POLICY, funded_order
from tests.unit.escrow.factories import funded
from tests.unit.logistics.builders import a_dispatched_shipment, a_shipment

STEP = timedelta(microseconds=1)
# (offset from the boundary instant, whether the promise is broken)
DISPATCH_EDGES = [(-STEP, False), (timedelta(0), False), (STEP, True)]
DELIVERY_EDGES = [(-STEP, False), (timedelta(0), True), (STEP, True)]


@pytest.mark.parametrize(("offset", "broken"), DISPATCH_EDGES)
def test_dispatch_at_its_deadline_is_on_time_for_every_service(offset: timedelta, broken: bool) -> None:
    # Given an order each service knows with the same dispatch deadline, dispatched at deadline + offset
    order = funded()
    assert order.promise is not None
    deadline = order.promise.dispatch_deadline
    at = deadline + offset

    # Then the shared reading, logistics, escrow and disputes all give the same answer
    assert promise_broken(DeadlineKind.DISPATCH, deadline, at, at) is broken
    shipment = _logistics_dispatched(deadline, at)
    assert is_dispatch_late(shipment, at + timedelta(days=1)) is broken
    assert shipment.dispatched_on_time() is not broken
    escrow = record_missed_by_promise(record_shipment(order, at).order, DeadlineKind.DISPATCH, at)
    assert (escrow.order.missed_deadlines != ()) is broken
    view = record_dispatch(_disputes_order(dispatch_deadline=deadline, late_from=deadline), at)
    assert _late_claim_accepted(view, ClaimReason.LATE_DISPATCH, at + timedelta(days=1)) is broken


@pytest.mark.parametrize(("offset", "broken"), DELIVERY_EDGES)
def test_delivery_at_delivery_late_from_is_late_for_every_service(offset: timedelta, broken: bool) -> None:
    # Given an order each service knows with the same late-from instant, delivered at late_from + offset
    order = funded()
    assert order.promise is not None
    late_from = order.promise.delivery_late_from
    at = late_from + offset

    # Then the shared reading, logistics, escrow and disputes all give the same answer
    assert promise_broken(DeadlineKind.DELIVERY, late_from, at, at) is broken
    shipment = a_shipment().model_copy(
        update={"promise": a_shipment().promise.model_copy(update={"delivery_late_from": late_from})}
    )
    delivered = shipment.model_copy(update={"delivered_at": at})
    assert is_delivery_late(delivered, at + timedelta(days=1)) is broken
    assert delivered.delivered_on_time() is not broken
    shipped = record_shipment(order, order.promise.dispatch_deadline).order
    escrow = record_missed_by_promise(escrow_delivery(shipped, at).order, DeadlineKind.DELIVERY, at)
    assert (escrow.order.missed_deadlines != ()) is broken
    view = record_delivery(_disputes_order(dispatch_deadline=late_from, late_from=late_from), at)
    assert _late_claim_accepted(view, ClaimReason.LATE_DELIVERY, at + timedelta(days=1)) is broken


@pytest.mark.parametrize(("offset", "broken"), DELIVERY_EDGES)
def test_an_undelivered_order_is_late_from_the_instant_delivery_late_from(
    offset: timedelta, broken: bool
) -> None:
    # Given nothing delivered, judged at late_from + offset
    shipment = a_dispatched_shipment()
    late_from = shipment.promise.delivery_late_from
    now = late_from + offset

    # Then logistics' monitor and a disputes late claim agree on the first late instant
    assert is_delivery_late(shipment, now) is broken
    view = _disputes_order(dispatch_deadline=shipment.promise.dispatch_deadline, late_from=late_from)
    view = record_dispatch(view, shipment.promise.dispatch_deadline)
    assert _late_claim_accepted(view, ClaimReason.LATE_DELIVERY, now) is broken


def _logistics_dispatched(deadline: datetime, at: datetime) -> Shipment:
    shipment = a_shipment()
    shipment = shipment.model_copy(
        update={"promise": shipment.promise.model_copy(update={"dispatch_deadline": deadline})}
    )
    dispatched = a_dispatched_shipment()
    assert dispatched.dispatch is not None
    return shipment.model_copy(
        update={"dispatch": dispatched.dispatch.model_copy(update={"dispatched_at": at})}
    )


def _disputes_order(*, dispatch_deadline: datetime, late_from: datetime) -> OrderView:
    return funded_order().model_copy(
        update={"dispatch_deadline": dispatch_deadline, "promised_delivery_at": late_from}
    )


def _late_claim_accepted(order: OrderView, reason: ClaimReason, now: datetime) -> bool:
    try:
        open_claim(
            order,
            claim_id="claim-1",
            buyer_id=BUYER,
            reason=reason,
            requested_outcome=RequestedOutcome.FULL_REFUND,
            amount=None,
            description="late",
            open_claims=[],
            now=now,
            policy=POLICY,
        )
    except ClaimPrematureError:
        return False
    return True
