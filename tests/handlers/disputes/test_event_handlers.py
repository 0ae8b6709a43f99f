"""Other services' facts, rule by rule, over in-memory stores: each delivery in a unit of work of its own,
and a redelivery (the broker's at-least-once) changes nothing more."""

from __future__ import annotations

from datetime import timedelta

from services.disputes.domain.claim import ClaimStatus
from shared.contracts.catalog import AfterSalesLabel
from shared.contracts.disputes import ClaimOpened, ClaimResolved, RequestedOutcome
from tests.integration.disputes.journey import NOW, order_funded, usd
from tests.support.fakes.disputes import FakeDisputes

from .given import BUYER, SUPPLIER, delivered, quality_claim, refund_issued


async def test_escrows_order_events_delivered_twice_build_one_order_view(disputes: FakeDisputes) -> None:
    # Given escrow's placed, funded and logistics' delivered facts; when order_funded comes again
    await delivered(disputes)
    await disputes.deliver(order_funded("ord-1"))

    # Then there is one view of the order, delivered yesterday, with escrow's own words beside it
    record = await disputes.orders.get("ord-1")
    assert record is not None
    assert record.view is not None
    assert (record.version, record.view.delivered_at) == (2, NOW - timedelta(days=1))
    assert set(record.contract) == {"placed", "funded"}


async def test_a_refund_issued_delivered_twice_counts_once_and_resolves_the_claim_once(
    disputes: FakeDisputes,
) -> None:
    # Given a claim whose agreed refund of 300.00 USD escrow was asked for
    await delivered(disputes)
    claim = await quality_claim(disputes)
    negotiation = disputes.disputes.negotiation
    await negotiation.offer(
        claim.claim_id, SUPPLIER, outcome=RequestedOutcome.PARTIAL_REFUND, refund=usd(30_000), note=""
    )
    await negotiation.accept(claim.claim_id, BUYER)

    # When escrow's refund_issued is delivered twice
    await disputes.deliver(refund_issued(claim, 30_000))
    await disputes.deliver(refund_issued(claim, 30_000))

    # Then the order counts the refund once, and the claim is resolved once
    record = await disputes.orders.get("ord-1")
    assert record is not None
    assert record.view is not None
    assert record.view.refunded == usd(30_000)
    assert (await disputes.claim(claim.claim_id)).status is ClaimStatus.RESOLVED
    [resolved] = disputes.published(ClaimResolved)
    assert (resolved.claim_id, resolved.refund) == (claim.claim_id, usd(30_000))


async def test_an_after_sales_request_left_past_its_sla_becomes_one_claim(disputes: FakeDisputes) -> None:
    # Given an order sold with on-site service, and the buyer's request for it
    await delivered(disputes, labels=(AfterSalesLabel.ONSITE_SERVICE_AND_PARTS,))
    requests = disputes.disputes.after_sales
    request = await requests.request(
        "ord-1", BUYER, label=AfterSalesLabel.ONSITE_SERVICE_AND_PARTS, description="install the line"
    )

    # When the supplier lets the SLA pass and the timers sweep twice
    disputes.clock.advance(timedelta(days=disputes.policy.after_sales_sla_days))
    await disputes.sweep_timers()
    await disputes.sweep_timers()

    # Then the request became one platform claim, announced once
    converted = await requests.get(request.request_id)
    assert converted is not None
    assert converted.claim_id is not None
    [opened] = disputes.published(ClaimOpened)
    assert opened.claim_id == converted.claim_id
    assert [stored.value.claim_id for stored in await disputes.claims.of_order("ord-1")] == [opened.claim_id]
