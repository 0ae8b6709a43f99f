"""Disputes' service layer, rule by rule, over in-memory stores: no database, a clock the test moves."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from services.disputes.domain import claim_opening
from services.disputes.domain.claim import Claim, ClaimStatus
from services.disputes.domain.errors import DuplicateOpenClaimError
from services.disputes.handlers.claims import open_claim
from services.disputes.handlers.desk import OrderNotKnownYet
from shared.clock import ManualClock
from shared.contracts.disputes import ClaimReason, RequestedOutcome
from shared.contracts.logistics import ShipmentDelivered
from tests.integration.disputes.journey import BUYER, NOW, order_funded, order_placed, shipment
from tests.support.fakes.disputes import FakeDisputes


@pytest.fixture
def disputes() -> FakeDisputes:
    return FakeDisputes(ManualClock(NOW))


async def delivered(disputes: FakeDisputes, order_id: str) -> None:
    """Escrow placed and funded the order; logistics delivered it yesterday."""
    await disputes.deliver(order_placed(order_id))
    await disputes.deliver(order_funded(order_id))
    await disputes.deliver(
        ShipmentDelivered(
            **shipment(order_id),
            delivered_at=NOW - timedelta(days=1),
            promised_delivery_date=NOW.date(),
            on_time=True,
        )
    )


async def quality_claim(disputes: FakeDisputes, order_id: str) -> Claim:
    return await open_claim(
        disputes.desk,
        order_id,
        lambda order, open_claims: claim_opening.open_claim(
            order,
            claim_id=f"clm-{uuid.uuid4().hex[:8]}",
            buyer_id=BUYER,
            reason=ClaimReason.QUALITY_NOT_AS_AGREED,
            requested_outcome=RequestedOutcome.FULL_REFUND,
            amount=None,
            description="colour is not Pantone 286 C as agreed",
            open_claims=open_claims,
            now=disputes.clock.now(),
            policy=disputes.policy,
        ),
    )


async def test_escrows_order_events_delivered_twice_build_one_order_view(disputes: FakeDisputes) -> None:
    await delivered(disputes, "ord-1")
    await disputes.deliver(order_funded("ord-1"))

    record = await disputes.orders.get("ord-1")
    assert record is not None
    assert record.view is not None
    assert record.view.delivered_at == NOW - timedelta(days=1)
    assert set(record.contract) == {"placed", "funded"}


async def test_a_claim_on_an_order_escrow_has_not_reported_waits_for_it(disputes: FakeDisputes) -> None:
    with pytest.raises(OrderNotKnownYet):
        await quality_claim(disputes, "ord-unknown")
    assert disputes.uow.published == []


async def test_a_second_open_claim_for_the_same_reason_is_refused_and_changes_nothing(
    disputes: FakeDisputes,
) -> None:
    await delivered(disputes, "ord-1")
    first = await quality_claim(disputes, "ord-1")

    with pytest.raises(DuplicateOpenClaimError):
        await quality_claim(disputes, "ord-1")

    assert [stored.value for stored in await disputes.claims.of_order("ord-1")] == [first]
    assert disputes.uow.types() == ["disputes.claim_opened"]


async def test_a_supplier_silent_past_its_response_deadline_is_marked_so_by_the_timer_once(
    disputes: FakeDisputes,
) -> None:
    await delivered(disputes, "ord-1")
    claim = await quality_claim(disputes, "ord-1")

    disputes.clock.advance(timedelta(days=3))
    await disputes.sweep_timers()
    await disputes.sweep_timers()

    stored = await disputes.claims.get(claim.claim_id)
    assert stored is not None
    assert stored.value.status is ClaimStatus.SUPPLIER_SILENT
    assert disputes.uow.types().count("disputes.supplier_response_missed") == 1
