"""Logistics' service layer, rule by rule, over in-memory stores: no database, a clock the test moves."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.logistics.domain.errors import (
    InspectionPendingError,
    NotEligibleForEasyReturnError,
    ShipmentNotFoundError,
)
from services.logistics.handlers import inspections
from services.logistics.handlers.returns import request_easy_return
from services.logistics.handlers.shipments import dispatch
from shared.clock import ManualClock
from shared.contracts.disputes import ReturnRequested
from shared.contracts.escrow import OrderCancelled
from shared.contracts.logistics import InspectionAgency, ReturnReason
from shared.errors import Conflict
from shared.money import Money
from shared.security.jwt import Principal
from shared.security.roles import Role
from tests.integration.logistics.scenario import BUYER, NOW, SUPPLIER, funded
from tests.support.fakes.logistics import FakeLogistics
from tests.unit.logistics.builders import DEFECT_RATE


async def dispatch_as(logistics: FakeLogistics, shipment_id: str, who: Principal) -> None:
    """`who` reports the shipment handed to UPS under tracking number 1Z1."""
    await dispatch(logistics.logistics, shipment_id, who=who, carrier="ups", tracking_number="1Z1")


@pytest.fixture
def logistics() -> FakeLogistics:
    return FakeLogistics(ManualClock(NOW))


async def test_an_order_funded_twice_opens_one_shipment_on_escrows_promise(logistics: FakeLogistics) -> None:
    event = funded("o-1")
    await logistics.deliver(event)
    await logistics.deliver(event)

    opened = await logistics.shipments.of_order("o-1")
    assert opened is not None
    assert opened.value.promise.dispatch_deadline == event.dispatch_deadline
    assert logistics.uow.types() == ["logistics.shipment_created"]


async def test_the_buyers_id_in_a_supplier_token_dispatches_nothing(logistics: FakeLogistics) -> None:
    # Given a funded order's shipment
    await logistics.deliver(funded("o-1"))
    shipment = await logistics.shipments.of_order("o-1")
    assert shipment is not None

    # When a supplier token carrying the buyer's id dispatches it
    with pytest.raises(ShipmentNotFoundError):
        await dispatch_as(logistics, shipment.value.shipment_id, Principal(BUYER, Role.SUPPLIER))

    # Then the shipment is as it was: a role and a subject make the supplier, not the subject alone
    assert await logistics.shipments.of_order("o-1") == shipment


async def test_only_the_orders_supplier_dispatches_and_a_stranger_changes_nothing(
    logistics: FakeLogistics,
) -> None:
    await logistics.deliver(funded("o-1"))
    shipment = await logistics.shipments.of_order("o-1")
    assert shipment is not None

    with pytest.raises(ShipmentNotFoundError):
        await dispatch_as(logistics, shipment.value.shipment_id, Principal("someone-else", Role.SUPPLIER))
    assert await logistics.shipments.of_order("o-1") == shipment

    await dispatch_as(logistics, shipment.value.shipment_id, Principal(SUPPLIER, Role.SUPPLIER))
    assert logistics.uow.types()[-1] == "logistics.shipment_dispatched"


async def test_a_missed_dispatch_deadline_is_reported_once_and_only_after_it_passed(
    logistics: FakeLogistics,
) -> None:
    await logistics.deliver(funded("o-1"))

    logistics.clock.advance(timedelta(hours=72))  # exactly at the deadline: still on time
    await logistics.sweep_timers()
    assert "logistics.dispatch_deadline_missed" not in logistics.uow.types()

    logistics.clock.advance(timedelta(seconds=1))
    await logistics.sweep_timers()
    await logistics.sweep_timers()
    assert logistics.uow.types().count("logistics.dispatch_deadline_missed") == 1


async def test_an_order_cancelled_before_dispatch_cancels_its_shipment_once_and_announces_it(
    logistics: FakeLogistics,
) -> None:
    # Given a cancellation of a funded order that reaches logistics before the funding did
    cancelled = OrderCancelled(
        order_id="o-1",
        buyer_id=BUYER,
        supplier_id=SUPPLIER,
        buyer_tier=funded("o-1").buyer_tier,
        reason="buyer changed plans",
        refunded=Money(amount=120_000, currency="USD"),
        cancelled_at=NOW,
    )
    # A refunded order was funded: its shipment must exist, so the consumer retries until it does.
    with pytest.raises(Conflict):
        await logistics.deliver(cancelled)

    # When the funding arrives and the cancellation is delivered again, twice
    await logistics.deliver(funded("o-1"))
    await logistics.deliver(cancelled)
    await logistics.deliver(cancelled)

    # Then the shipment is cancelled, and that is announced once
    shipment = await logistics.shipments.of_order("o-1")
    assert shipment is not None
    assert shipment.value.cancelled_at == NOW
    assert logistics.uow.types().count("logistics.shipment_cancelled") == 1


async def test_a_dispute_return_requested_twice_gets_one_label(logistics: FakeLogistics) -> None:
    await logistics.deliver(funded("o-1"))
    request = ReturnRequested(
        claim_id="c-1", order_id="o-1", buyer_id=BUYER, supplier_id=SUPPLIER, requested_at=NOW
    )
    await logistics.deliver(request)
    await logistics.deliver(request)

    assert logistics.uow.types().count("logistics.return_label_issued") == 1
    issued = await logistics.returns.get("dispute-c-1")
    assert issued is not None
    assert issued.value.label.warehouse_id == "wh-us"


async def test_an_order_not_eligible_for_easy_return_buys_no_label(logistics: FakeLogistics) -> None:
    # Given a funded order, not delivered yet
    await logistics.deliver(funded("o-1"))

    # When its buyer asks for an Easy Return, the refusal comes before any label is bought (labels are paid
    # for, and a retry of a request already answered runs the handler again)
    with pytest.raises(NotEligibleForEasyReturnError):
        await request_easy_return(
            logistics.logistics, order_id="o-1", who=Principal(BUYER, Role.BUYER), reason=ReturnReason.DAMAGED
        )

    assert logistics.carrier.sold_for == []
    assert logistics.returns.where(lambda _: True) == []


@pytest.mark.parametrize("stored_before_bookings_were_noted", [False, True])
async def test_a_booked_inspection_holds_dispatch_back_until_its_report(
    logistics: FakeLogistics, stored_before_bookings_were_noted: bool
) -> None:
    # Given a shipment whose buyer booked an inspection (noted on the shipment, or stored before it was)
    await logistics.deliver(funded("o-1"))
    await inspections.book(
        logistics.logistics,
        order_id="o-1",
        who=Principal(BUYER, Role.BUYER),
        agency=InspectionAgency.SGS,
        criteria=[DEFECT_RATE],
    )
    shipment = await logistics.shipments.of_order("o-1")
    assert shipment is not None
    assert shipment.value.inspection_booked is True
    if stored_before_bookings_were_noted:
        await logistics.shipments.set_fields(shipment.value.shipment_id, {"inspection_booked": None})

    # When the supplier dispatches before the report
    # Then it is refused: the pending inspection is read whenever the shipment may have one
    with pytest.raises(InspectionPendingError):
        await dispatch_as(logistics, shipment.value.shipment_id, Principal(SUPPLIER, Role.SUPPLIER))
