"""Catalog policy: every number of the product rules, as configurable defaults (PRODUCT.md §1)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.money import Money

DEFAULT_EASY_RETURN_COUNTRIES = frozenset(
    {
        "AU", "CA", "DE", "IT", "NL", "UK", "US", "FR", "ES", "PL", "BE",
        "CZ", "PT", "MX", "KR", "JP", "CL", "SA", "AE", "IL", "CH",
    }
)  # fmt: skip


class _Policy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BadgePolicy(_Policy):
    verified_pro_min_export_percentile: int = Field(default=80, ge=0, le=100)
    # "More than 5 years": met from the 5th anniversary of `experience_since` on; every badge boundary is a
    # half-open interval, so the timer set for that instant sees the change.
    verified_pro_min_experience_years: int = Field(default=5, ge=0)


class ProductPolicy(_Policy):
    guaranteed_min_dispatch: timedelta = timedelta(hours=72)
    guaranteed_max_dispatch: timedelta = timedelta(days=7)
    max_tiers: int = Field(default=10, ge=1)


class EasyReturnPolicy(_Policy):
    """The programme a quote promises (PRODUCT.md §3); logistics judges a return on the quote's terms."""

    countries: frozenset[str] = DEFAULT_EASY_RETURN_COUNTRIES
    # The programme's list says UK, while addresses carry the ISO 3166 code GB.
    country_aliases: dict[str, str] = Field(default_factory=lambda: {"GB": "UK"})
    value_cap: Money = Money(amount=300_000, currency="USD")
    window_days: int = Field(default=30, ge=0)

    @field_validator("value_cap")
    @classmethod
    def _cap_in_usd(cls, cap: Money) -> Money:
        if cap.currency != "USD":
            raise ValueError("the Easy Return cap is held in USD")
        return cap


class QuotePolicy(_Policy):
    validity: timedelta = timedelta(hours=24)
    # A quote converts its USD limits at a rate no older than this; an older one is refused, never guessed.
    exchange_rate_max_age: timedelta = timedelta(hours=24)
    easy_return: EasyReturnPolicy = EasyReturnPolicy()


class RedFlagPolicy(_Policy):
    mad_multiplier: int = Field(default=3, ge=0)
    below_median_fraction_bps: int = Field(default=5_000, ge=0, le=10_000)
    min_comparables: int = Field(default=10, ge=1)
    # Lower bounds of the quantity bands inside which listings are compared with each other.
    quantity_bands: tuple[int, ...] = (1, 100, 1_000, 10_000)
    new_supplier_age: timedelta = timedelta(days=365)
    high_dispute_rate_bps: int = Field(default=1_000, ge=0, le=10_000)
    # Below this many shipped orders a dispute rate says more about chance than about the supplier.
    dispute_rate_min_orders: int = Field(default=10, ge=1)


class ReviewPolicy(_Policy):
    window: timedelta = timedelta(days=30)
    max_edits: int = Field(default=1, ge=0)


class RankingPolicy(_Policy):
    # Boosts dominate the quality parts so that Verified Pro > Verified > others at equal relevance.
    verified_pro_boost: float = 4.0
    verified_boost: float = 2.0
    rating_weight: float = 1.0
    on_time_weight: float = 0.5
    relevance_weight: float = 1.0


class CatalogPolicy(_Policy):
    """All catalog rules' tunables; the service's Settings builds one and passes it into the domain."""

    badges: BadgePolicy = BadgePolicy()
    products: ProductPolicy = ProductPolicy()
    quotes: QuotePolicy = QuotePolicy()
    red_flags: RedFlagPolicy = RedFlagPolicy()
    reviews: ReviewPolicy = ReviewPolicy()
    ranking: RankingPolicy = RankingPolicy()
