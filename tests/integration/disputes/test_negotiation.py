"""Negotiation: supplier offers and buyer accepts; escalation from day 4; deadlines fire once per claim."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from services.disputes.app import over_mongo
from services.disputes.settings import DisputesSettings
from shared.contracts.escrow import BuyerTier, RefundCause, RefundIssued, RefundSource
from tests.integration.disputes.journey import NOW, Disputes, parties, usd


def refund_issued(claim_id: str, amount: int) -> RefundIssued:
    return RefundIssued(
        **parties("ord-1"),
        buyer_tier=BuyerTier.STANDARD,
        refund_id=f"rf-{claim_id}",
        cause=RefundCause.DISPUTE_DECISION,
        source=RefundSource.ESCROW,
        amount=usd(amount),
        total_refunded=usd(amount),
        paid=usd(100_000),
        claim_id=claim_id,
        issued_at=NOW,
    )


async def test_an_accepted_partial_offer_requests_the_refund_and_resolves_when_escrow_pays(
    disputes: Disputes,
) -> None:
    # Given an open claim
    await disputes.delivered("ord-1")
    claim = await disputes.claim("ord-1")
    path = f"/v1/disputes/{claim['claim_id']}"

    # When the supplier offers a partial refund and the buyer accepts it
    offer = {"outcome": "partial_refund", "refund": usd(30_000).model_dump(), "note": "30% off"}
    status, offered = await disputes.call("POST", f"{path}/offers", disputes.supplier(), offer)
    assert (status, offered["status"]) == (200, "offer_made")
    status, accepted = await disputes.call("POST", f"{path}/accept", disputes.buyer())

    # Then escrow is asked for exactly that refund
    assert (status, accepted["status"]) == (200, "refund_requested")
    [requested] = await disputes.published("disputes.refund_requested")
    assert requested["amount"] == usd(30_000).model_dump()

    # When escrow reports the refund (twice, as a redelivery would), the claim resolves once
    await disputes.inject.publish(refund_issued(claim["claim_id"], 30_000))
    await disputes.inject.publish(refund_issued(claim["claim_id"], 30_000))

    async def resolved() -> bool:
        return bool((await disputes.call("GET", path, disputes.buyer()))[1]["status"] == "resolved")

    await disputes.until(resolved)
    [resolution] = await disputes.published("disputes.claim_resolved")
    assert (resolution["decision"], resolution["refund"]["amount"]) == ("partial_refund", 30_000)
    order = await disputes.order("ord-1")
    assert order is not None
    assert order["view"]["refunded"]["amount"] == 30_000


async def test_the_buyer_may_escalate_only_from_day_4(disputes: Disputes) -> None:
    await disputes.delivered("ord-1")
    claim = await disputes.claim("ord-1")
    escalate = f"/v1/disputes/{claim['claim_id']}/escalate"

    disputes.clock.advance(timedelta(days=2))
    status, problem = await disputes.call("POST", escalate, disputes.buyer())
    assert (status, problem["type"].rsplit("/", 1)[1]) == (409, "escalation-too-early")

    disputes.clock.advance(timedelta(days=1))
    status, escalated = await disputes.call("POST", escalate, disputes.buyer())
    assert (status, escalated["status"]) == (200, "escalated")


async def test_supplier_silence_and_auto_escalation_fire_once_even_with_two_replicas(
    disputes: Disputes,
) -> None:
    # Given an open claim and two replicas of the deadline timer
    await disputes.delivered("ord-1")
    claim = await disputes.claim("ord-1")
    platform = disputes.service.platform
    settings = platform.settings
    assert isinstance(settings, DisputesSettings)
    _, replica = over_mongo(platform, settings)  # a second replica's handlers and timers
    first, second = disputes.timer("claim-deadlines"), replica[0]

    # When the supplier lets its 3 days pass and both replicas sweep at once
    disputes.clock.advance(timedelta(days=3))
    assert sum(await asyncio.gather(first.sweep(), second.sweep())) == 1

    # Then the supplier is marked silent once, and may no longer answer
    assert len(await disputes.published("disputes.supplier_response_missed")) == 1
    path = f"/v1/disputes/{claim['claim_id']}"
    status, _ = await disputes.call("POST", f"{path}/reject", disputes.supplier())
    assert status == 409

    # When day 7 passes unresolved and both replicas sweep again
    disputes.clock.advance(timedelta(days=4))
    assert sum(await asyncio.gather(first.sweep(), second.sweep())) == 1
    assert await first.sweep() + await second.sweep() == 0

    # Then the claim escalated automatically, exactly once
    [escalated] = await disputes.published("disputes.claim_escalated")
    assert escalated["automatic"] is True
    assert (await disputes.call("GET", path, disputes.buyer()))[1]["status"] == "escalated"
