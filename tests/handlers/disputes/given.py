"""Steps the disputes handler tests share: an order escrow funded and logistics delivered, a claim on it."""

from __future__ import annotations

from datetime import timedelta

from services.disputes.domain.claim import Claim
from shared.contracts.catalog import AfterSalesLabel
from shared.contracts.disputes import ClaimReason, RequestedOutcome
from shared.contracts.escrow import BuyerTier, RefundCause, RefundIssued, RefundSource
from shared.contracts.logistics import ShipmentDelivered
from shared.security.jwt import Principal
from shared.security.roles import Role
from tests.integration.disputes import journey
from tests.integration.disputes.journey import NOW, order_funded, order_placed, parties, shipment, usd
from tests.support.fakes.disputes import FakeDisputes

BUYER = Principal(sub=journey.BUYER, role=Role.BUYER, tier="standard")
SUPPLIER = Principal(sub=journey.SUPPLIER, role=Role.SUPPLIER)
MEDIATOR = Principal(sub=journey.MEDIATOR, role=Role.MEDIATOR)


async def delivered(
    disputes: FakeDisputes, order_id: str = "ord-1", *, labels: tuple[AfterSalesLabel, ...] = ()
) -> None:
    """Escrow placed and funded the order (paid 1,000.00 USD); logistics delivered it yesterday."""
    await disputes.deliver(order_placed(order_id))
    await disputes.deliver(order_funded(order_id, labels=labels))
    await disputes.deliver(
        ShipmentDelivered(
            **shipment(order_id),
            delivered_at=NOW - timedelta(days=1),
            promised_delivery_date=NOW.date(),
            on_time=True,
        )
    )


async def quality_claim(disputes: FakeDisputes, order_id: str = "ord-1") -> Claim:
    """The buyer claims the goods are not as agreed and asks for a full refund."""
    return await disputes.disputes.negotiation.open_claim(
        order_id,
        BUYER,
        reason=ClaimReason.QUALITY_NOT_AS_AGREED,
        requested_outcome=RequestedOutcome.FULL_REFUND,
        amount=None,
        description="colour is not Pantone 286 C as agreed",
    )


async def under_mediation(disputes: FakeDisputes) -> Claim:
    """A delivered order's claim the supplier rejected, the buyer escalated and a mediator took."""
    await delivered(disputes)
    claim = await quality_claim(disputes)
    negotiation = disputes.disputes.negotiation
    await negotiation.reject(claim.claim_id, SUPPLIER)
    await negotiation.escalate(claim.claim_id, BUYER)
    return await disputes.disputes.mediation.take_case(claim.claim_id, MEDIATOR)


def refund_issued(claim: Claim, cents: int) -> RefundIssued:
    """Escrow's answer to the claim's refund request."""
    return RefundIssued(
        **parties(claim.order_id),
        buyer_tier=BuyerTier.STANDARD,
        refund_id=f"rf-{claim.claim_id}",
        cause=RefundCause.DISPUTE_DECISION,
        source=RefundSource.ESCROW,
        amount=usd(cents),
        total_refunded=usd(cents),
        paid=usd(100_000),
        claim_id=claim.claim_id,
        issued_at=NOW,
    )
