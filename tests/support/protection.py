"""Frozen protection terms as escrow makes them at placement, for tests that build contracts by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.protection import protection_terms
from shared.contracts.catalog import EasyReturnOffer, EasyReturnTerms
from shared.contracts.escrow import BuyerTier, ProtectionTerms
from shared.money import ExchangeRate, Money

RATED_AT = datetime(2026, 1, 1, tzinfo=UTC)
# USD per unit, chosen so that the US$100 cap is a round 15 000 JPY, 92.59 EUR and 30.000 KWD.
USD_PER_UNIT = {"USD": "1", "JPY": "0.0066666667", "EUR": "1.08", "KWD": "3.3333333333"}


def rate(currency: str = "USD") -> ExchangeRate:
    if currency == "USD":
        return ExchangeRate.usd(RATED_AT)
    return ExchangeRate(
        currency=currency, usd_per_unit=Decimal(USD_PER_UNIT[currency]), source="sandbox", as_of=RATED_AT
    )


def easy_return(currency: str = "USD", *, eligible: bool = True, window_days: int = 30) -> EasyReturnTerms:
    """The programme's US$3,000 cap at the currency's rate."""
    return EasyReturnTerms(
        eligible=eligible,
        reason=EasyReturnOffer.ELIGIBLE if eligible else EasyReturnOffer.NOT_OFFERED,
        value_cap=rate(currency).from_usd(Money(amount=300_000, currency="USD")),
        window_days=window_days,
    )


def protection(
    currency: str = "USD",
    tier: BuyerTier = BuyerTier.STANDARD,
    *,
    policy: EscrowPolicy | None = None,
    easy_return_eligible: bool = True,
) -> ProtectionTerms:
    terms = easy_return(currency, eligible=easy_return_eligible)
    return protection_terms(rate(currency), terms, tier, policy or EscrowPolicy())
