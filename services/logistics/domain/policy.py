"""Logistics policy: every number from PRODUCT.md §3 as a configurable default."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.contracts.logistics import ReturnReason
from shared.money import Money

DEFAULT_EASY_RETURN_COUNTRIES = frozenset(
    {
        "AU", "CA", "DE", "IT", "NL", "UK", "US", "FR", "ES", "PL", "BE",
        "CZ", "PT", "MX", "KR", "JP", "CL", "SA", "AE", "IL", "CH",
    }
)  # fmt: skip


class LogisticsPolicy(BaseModel):
    """Rules' parameters, passed into the domain functions (built from the service's Settings)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    easy_return_value_cap: Money = Field(
        default=Money(amount=300_000, currency="USD"),
        description="Cap on product + shipping, in USD minor units.",
    )
    easy_return_window: timedelta = Field(default=timedelta(days=30))
    easy_return_countries: frozenset[str] = DEFAULT_EASY_RETURN_COUNTRIES
    # The programme's list says UK, while addresses carry the ISO 3166 code GB.
    country_aliases: dict[str, str] = Field(default_factory=lambda: {"GB": "UK"})
    easy_return_quality_reasons: frozenset[ReturnReason] = frozenset(
        {ReturnReason.QUALITY_NOT_AS_AGREED, ReturnReason.DEFECTIVE, ReturnReason.DAMAGED}
    )
    usd_rates: dict[str, Decimal] = Field(
        default_factory=dict,
        description="USD per one major unit of a currency; order values in other currencies are "
        "converted with it for the Easy Return cap, and refused when their currency is absent.",
    )

    @field_validator("easy_return_value_cap")
    @classmethod
    def _cap_in_usd(cls, cap: Money) -> Money:
        if cap.currency != "USD":
            raise ValueError("the Easy Return cap is held in USD")
        return cap
