"""The protection policy: every number of PRODUCT.md §4 as a configurable default."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.contracts.escrow import BuyerTier


class DisputesPolicy(BaseModel):
    """Windows and deadlines of buyer protection; loaded from settings, passed into the rules."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    protection_window_days: dict[BuyerTier, int] = Field(
        default_factory=lambda: {
            BuyerTier.STANDARD: 30,
            BuyerTier.ENTERPRISE: 60,
            BuyerTier.ENTERPRISE_PRO: 60,
        },
        description="Days after delivery during which the buyer may open a claim, per buyer tier.",
    )
    supplier_response_days: int = Field(default=3, ge=1)
    buyer_may_escalate_after_days: int = Field(default=3, ge=0, description="3 → escalation from day 4.")
    auto_escalation_days: int = Field(default=7, ge=1)
    evidence_response_days: int = Field(default=5, ge=1, description="Default evidence-request deadline.")
    max_evidence_response_days: int = Field(default=14, ge=1)
    after_sales_sla_days: int = Field(default=7, ge=1)
    late_claim_window_days: int = Field(
        default=30, ge=1, description="Days after a missed deadline during which compensation is claimable."
    )

    @field_validator("protection_window_days")
    @classmethod
    def _every_tier_has_a_window(cls, windows: dict[BuyerTier, int]) -> dict[BuyerTier, int]:
        missing = set(BuyerTier) - windows.keys()
        if missing:
            raise ValueError(f"no protection window for tiers {sorted(missing)}")
        return windows

    def protection_window(self, tier: BuyerTier) -> timedelta:
        return timedelta(days=self.protection_window_days[tier])
