"""Escrow's policy values: every number of the product rules, with its default, in one model."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.contracts.escrow import BuyerTier, CompensationFunding
from shared.money import Money


def _default_windows() -> dict[BuyerTier, int]:
    return {BuyerTier.STANDARD: 30, BuyerTier.ENTERPRISE: 60, BuyerTier.ENTERPRISE_PRO: 60}


class EscrowPolicy(BaseModel):
    """Passed into the rules; built from the service settings so operations can change it without code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    auto_confirm_days: int = Field(default=14, ge=0)
    platform_fee_bps: int = Field(default=200, ge=0, le=10_000)
    money_back_window_days: dict[BuyerTier, int] = Field(default_factory=_default_windows)
    # Held in USD; each order converts it at its contract's rate, so every currency gets the same cap.
    compensation_cap: Money = Money(amount=10_000, currency="USD")
    compensation_funded_by: CompensationFunding = CompensationFunding.GUARANTEE_FUND
    automatic_compensation_tiers: frozenset[BuyerTier] = frozenset(
        {BuyerTier.ENTERPRISE, BuyerTier.ENTERPRISE_PRO}
    )
    compensation_claim_window_days: int = Field(default=30, ge=0)

    @field_validator("money_back_window_days")
    @classmethod
    def _every_tier_has_a_window(cls, windows: dict[BuyerTier, int]) -> dict[BuyerTier, int]:
        missing = set(BuyerTier) - set(windows)
        if missing:
            raise ValueError(f"no money-back window for {sorted(missing)}")
        return windows

    @field_validator("compensation_cap")
    @classmethod
    def _cap_in_usd(cls, cap: Money) -> Money:
        if cap.currency != "USD" or cap.amount <= 0:
            raise ValueError("the compensation cap is a positive USD amount")
        return cap

    @property
    def auto_confirm_after(self) -> timedelta:
        return timedelta(days=self.auto_confirm_days)
