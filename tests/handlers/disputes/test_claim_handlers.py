"""Claims and their negotiation, rule by rule, over in-memory stores: what the routes and timers rely on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.disputes.domain.claim import ClaimStatus
from services.disputes.domain.errors import (
    ClaimTransitionRefusedError,
    DuplicateOpenClaimError,
    ProtectionWindowClosedError,
)
from services.disputes.handlers.claims import OrderNotKnownYet
from shared.contracts.disputes import (
    ClaimEscalated,
    ClaimOpened,
    ClaimSettled,
    ClaimWindow,
    LateClaimRefused,
    RefundRequested,
    RequestedOutcome,
    SupplierResponseMissed,
)
from tests.integration.disputes.journey import usd
from tests.support.fakes.disputes import FakeDisputes

from .given import BUYER, SUPPLIER, delivered, quality_claim


async def test_a_claim_on_an_order_escrow_has_not_reported_waits_for_it(disputes: FakeDisputes) -> None:
    # Given no order_funded from escrow yet; when the buyer claims, then it is refused for now
    with pytest.raises(OrderNotKnownYet):
        await quality_claim(disputes, "ord-unknown")
    assert await disputes.claims.of_order("ord-unknown") == []
    assert disputes.uow.published == []


async def test_a_claim_after_its_window_is_refused_and_the_refusal_is_announced(
    disputes: FakeDisputes,
) -> None:
    # Given an order delivered yesterday with a 30-day money-back window
    await delivered(disputes)

    # When the buyer claims once the window has closed
    disputes.clock.advance(timedelta(days=30))
    with pytest.raises(ProtectionWindowClosedError):
        await quality_claim(disputes)

    # Then no claim is opened, and the refusal is announced with the window it missed
    assert await disputes.claims.of_order("ord-1") == []
    assert disputes.published(ClaimOpened) == []
    [refused] = disputes.published(LateClaimRefused)
    assert (refused.order_id, refused.window) == ("ord-1", ClaimWindow.MONEY_BACK)
    assert refused.window_closed_at < refused.refused_at == disputes.clock.now()


async def test_a_claim_opened_twice_for_one_order_and_reason_is_refused_and_changes_nothing(
    disputes: FakeDisputes,
) -> None:
    # Given a delivered order with an open quality claim
    await delivered(disputes)
    first = await quality_claim(disputes)

    # When the buyer opens a second one for the same reason
    with pytest.raises(DuplicateOpenClaimError):
        await quality_claim(disputes)

    # Then the first claim is the only one, and only its opening was announced
    assert [stored.value for stored in await disputes.claims.of_order("ord-1")] == [first]
    assert [event.claim_id for event in disputes.published(ClaimOpened)] == [first.claim_id]


async def test_the_suppliers_offer_accepted_settles_the_claim_and_requests_the_refund_once(
    disputes: FakeDisputes,
) -> None:
    # Given an open claim and the supplier's offer of a partial refund
    await delivered(disputes)
    claim = await quality_claim(disputes)
    negotiation = disputes.disputes.negotiation
    await negotiation.offer(
        claim.claim_id, SUPPLIER, outcome=RequestedOutcome.PARTIAL_REFUND, refund=usd(30_000), note="30% off"
    )

    # When the buyer accepts it, and accepts again (a retried request)
    accepted = await negotiation.accept(claim.claim_id, BUYER)
    with pytest.raises(ClaimTransitionRefusedError):
        await negotiation.accept(claim.claim_id, BUYER)

    # Then the claim is settled on the offer, and escrow is asked for exactly that refund, once
    assert accepted.status is ClaimStatus.REFUND_REQUESTED
    assert (await disputes.claim(claim.claim_id)) == accepted
    [settled] = disputes.published(ClaimSettled)
    assert settled.refund == usd(30_000)
    [requested] = disputes.published(RefundRequested)
    assert (requested.claim_id, requested.amount) == (claim.claim_id, usd(30_000))


async def test_a_supplier_silent_past_its_response_deadline_is_marked_so_by_the_timer_once(
    disputes: FakeDisputes,
) -> None:
    # Given an open claim the supplier does not answer
    await delivered(disputes)
    claim = await quality_claim(disputes)

    # When its 3 days pass and the timers sweep twice
    disputes.clock.advance(timedelta(days=disputes.policy.supplier_response_days))
    await disputes.sweep_timers()
    await disputes.sweep_timers()

    # Then the supplier is marked silent once, and may no longer answer
    assert (await disputes.claim(claim.claim_id)).status is ClaimStatus.SUPPLIER_SILENT
    assert len(disputes.published(SupplierResponseMissed)) == 1
    with pytest.raises(ClaimTransitionRefusedError):
        await disputes.disputes.negotiation.reject(claim.claim_id, SUPPLIER)


async def test_a_negotiation_past_its_deadline_escalates_automatically_once_the_clock_passes_it(
    disputes: FakeDisputes,
) -> None:
    # Given a claim the supplier answered with an offer the buyer leaves pending
    await delivered(disputes)
    claim = await quality_claim(disputes)
    await disputes.disputes.negotiation.offer(
        claim.claim_id, SUPPLIER, outcome=RequestedOutcome.PARTIAL_REFUND, refund=usd(10_000), note=""
    )
    deadline = timedelta(days=disputes.policy.auto_escalation_days)

    # When the clock stops a second short of the negotiation deadline, then nothing happens
    disputes.clock.advance(deadline - timedelta(seconds=1))
    await disputes.sweep_timers()
    assert (await disputes.claim(claim.claim_id)).status is ClaimStatus.OFFER_MADE

    # When it passes the deadline and the timers sweep twice
    disputes.clock.advance(timedelta(seconds=1))
    await disputes.sweep_timers()
    await disputes.sweep_timers()

    # Then the platform escalated the claim, once
    assert (await disputes.claim(claim.claim_id)).status is ClaimStatus.ESCALATED
    [escalated] = disputes.published(ClaimEscalated)
    assert (escalated.claim_id, escalated.automatic) == (claim.claim_id, True)
