"""The protection an order's contract freezes at placement: caps at the quote's rate, the tier's windows."""

from __future__ import annotations

from shared.contracts.catalog import EasyReturnTerms
from shared.contracts.escrow import BuyerTier, ProtectionTerms
from shared.money import ExchangeRate

from .policy import EscrowPolicy


def protection_terms(
    rate: ExchangeRate, easy_return: EasyReturnTerms, tier: BuyerTier, policy: EscrowPolicy
) -> ProtectionTerms:
    """Today's policy for this buyer's tier, converted at the quote's rate, fixed for the order's life: a
    policy change or a new rate never changes what an order already placed was promised."""
    return ProtectionTerms(
        exchange_rate=rate,
        easy_return=easy_return,
        compensation_cap=rate.from_usd(policy.compensation_cap),
        automatic_compensation=tier in policy.automatic_compensation_tiers,
        compensation_claim_window_days=policy.compensation_claim_window_days,
        money_back_window_days=policy.money_back_window_days[tier],
    )
