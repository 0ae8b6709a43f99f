"""Orders and claims in a known state, at a fixed time, for the disputes rule tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.disputes.domain.claim import Claim
from services.disputes.domain.claim_opening import open_claim
from services.disputes.domain.mediation import start_mediation
from services.disputes.domain.negotiation import escalate
from services.disputes.domain.orders import OrderView, record_delivery, record_order_funded
from services.disputes.domain.policy import DisputesPolicy
from shared.contracts.catalog import AfterSalesLabel
from shared.contracts.disputes import ClaimReason, RequestedOutcome
from shared.contracts.escrow import BuyerTier
from shared.money import Money

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = DisputesPolicy()
BUYER = "buyer-1"
SUPPLIER = "supplier-1"
MEDIATOR = "mediator-1"


def usd(cents: int) -> Money:
    return Money(amount=cents, currency="USD")


# The money-back window escrow announces per tier with its default policy.
ESCROW_WINDOWS = {BuyerTier.STANDARD: 30, BuyerTier.ENTERPRISE: 60, BuyerTier.ENTERPRISE_PRO: 60}


def funded_order(
    *,
    paid: Money | None = None,
    tier: BuyerTier = BuyerTier.STANDARD,
    labels: tuple[AfterSalesLabel, ...] = (),
    window_days: int | None = None,
) -> OrderView:
    """An order funded ten days before NOW, promised for dispatch in 3 days and delivery in 20, with the
    windows escrow announced for it (by default those of escrow's default policy for the tier)."""
    funded_at = NOW - timedelta(days=10)
    return record_order_funded(
        order_id="order-1",
        buyer_id=BUYER,
        supplier_id=SUPPLIER,
        buyer_tier=tier,
        paid=paid if paid is not None else usd(100_000),
        funded_at=funded_at,
        dispatch_deadline=funded_at + timedelta(days=3),
        promised_delivery_at=funded_at + timedelta(days=20),
        after_sales_labels=labels,
        protection_window_days=ESCROW_WINDOWS[tier] if window_days is None else window_days,
    )


def delivered_order(
    *,
    delivered_days_ago: int = 2,
    tier: BuyerTier = BuyerTier.STANDARD,
    labels: tuple[AfterSalesLabel, ...] = (),
    window_days: int | None = None,
) -> OrderView:
    order = funded_order(tier=tier, labels=labels, window_days=window_days)
    return record_delivery(order, NOW - timedelta(days=delivered_days_ago))


def quality_claim(
    order: OrderView | None = None,
    *,
    outcome: RequestedOutcome = RequestedOutcome.FULL_REFUND,
    amount: Money | None = None,
    opened_at: datetime = NOW,
) -> Claim:
    """A buyer's open quality claim on a delivered order, awaiting the supplier."""
    claim, _ = open_claim(
        order or delivered_order(),
        claim_id="claim-1",
        buyer_id=BUYER,
        reason=ClaimReason.QUALITY_NOT_AS_AGREED,
        requested_outcome=outcome,
        amount=amount,
        description="colour is not Pantone 286 C as agreed",
        open_claims=[],
        now=opened_at,
        policy=POLICY,
    )
    return claim


def claim_under_mediation() -> Claim:
    """A quality claim the buyer escalated on day 4, taken by MEDIATOR at once."""
    day_4 = NOW + timedelta(days=3)
    escalated, _ = escalate(quality_claim(), buyer_id=BUYER, now=day_4)
    claim, _ = start_mediation(escalated, mediator_id=MEDIATOR, now=day_4)
    return claim
