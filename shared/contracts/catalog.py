"""What catalog tells the others: its events (`catalog.<what_happened>.v1`) and the signed quote.

The quote is the price lock-in escrow verifies offline and turns into contract terms; badges, ratings
and risk signals are the value types the events and the quote carry.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.clock import UtcDateTime
from shared.messaging.envelope import Event
from shared.money import ExchangeRate, Money


class AfterSalesLabel(StrEnum):
    ONSITE_SERVICE_AND_PARTS = "onsite_service_and_parts"
    FREE_REPLACEMENT_PARTS = "free_replacement_parts"


class SupplierType(StrEnum):
    CUSTOM_MANUFACTURER = "custom_manufacturer"
    MULTISPECIALTY_SUPPLIER = "multispecialty_supplier"
    BRAND_HOLDER = "brand_holder"


class BadgeSet(BaseModel):
    """The trust badges a supplier holds at one moment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    gold: bool = False
    verified: bool = False
    supplier_type: SupplierType | None = None
    verified_pro: bool = False


class RiskCode(StrEnum):
    PRICE_OUTLIER = "price_outlier"
    NEW_AND_UNVERIFIED_SUPPLIER = "new_and_unverified_supplier"
    NO_VERIFICATION = "no_verification"
    HIGH_DISPUTE_RATE = "high_dispute_rate"


class RiskSignal(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: RiskCode
    reason: str


class TargetKind(StrEnum):
    PRODUCT = "product"
    STORE = "store"  # the supplier as a whole


class ReviewTarget(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: TargetKind
    id: str = Field(min_length=1, max_length=200)


class Rating(BaseModel):
    """1–5 stars overall with sub-scores for quality, service and delivery timeliness."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stars: int = Field(ge=1, le=5)
    quality: int = Field(ge=1, le=5)
    service: int = Field(ge=1, le=5)
    delivery: int = Field(ge=1, le=5)


QuoteKind = Literal["standard", "sample"]


class EasyReturnOffer(StrEnum):
    """Whether an order of the quote gets Easy Return, and if not, why (checked in this order)."""

    ELIGIBLE = "eligible"
    NOT_OFFERED = "not_offered"
    NOT_TRADE_ASSURANCE = "not_trade_assurance"
    SAMPLE_ORDER = "sample_order"
    COUNTRY_NOT_ELIGIBLE = "country_not_eligible"
    VALUE_ABOVE_CAP = "value_above_cap"


class EasyReturnTerms(BaseModel):
    """Easy Return as the quote promises it, decided once from the facts a return is later judged on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    eligible: bool
    reason: EasyReturnOffer
    value_cap: Money = Field(
        description="The programme's USD cap on product + shipping, at the quote's rate."
    )
    window_days: int = Field(ge=0, description="Days after delivery in which a return may be asked for.")


class Quote(BaseModel):
    """The locked terms of (product, quantity, destination) for one buyer, valid until `expires_at`.

    The contract with escrow: it validates the signed `quote` claim with this model.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    kind: QuoteKind = "standard"
    product_id: str
    supplier_id: str
    buyer_id: str
    title: str = ""
    category: str = ""
    origin: str = Field(default="", description="Supplier country, ISO 3166-1 alpha-2.")
    quantity: int = Field(ge=1)
    destination: str = Field(max_length=2, pattern=r"^[A-Z]{2}$")
    unit_price: Money
    tier_min_qty: int
    goods_total: Money
    shipping: Money | None
    total: Money
    # A Guaranteed quote's lane: the promise escrow makes at funding counts its days in the route's zone.
    route_id: str | None = None
    transit_days: int | None = None
    destination_timezone: str | None = None
    trade_assurance: bool
    guaranteed_dispatch_within: timedelta | None
    easy_return: EasyReturnTerms
    # The rate every USD limit of this order converts at (the Easy Return cap here, compensation in escrow).
    exchange_rate: ExchangeRate
    after_sales: tuple[AfterSalesLabel, ...]
    risk_signals: tuple[RiskSignal, ...]
    # One instant has one spelling (UTC, milliseconds), so producer and verifier sign the same bytes.
    issued_at: UtcDateTime
    expires_at: UtcDateTime


class SupplierBadgesChanged(Event):
    """A supplier gained or lost Gold, Verified (or its type) or Verified Pro."""

    TYPE = "catalog.supplier_badges_changed"

    supplier_id: str
    badges: BadgeSet
    previous: BadgeSet
    verified_pro_missing: tuple[str, ...]
    reason: str  # what triggered the re-evaluation: audit, gold_membership, timer, …
    changed_at: UtcDateTime
    next_change_at: UtcDateTime | None


class ProductPublished(Event):
    """A product was listed or revised; read models and red-flag comparables refresh from it."""

    TYPE = "catalog.product_published"

    product_id: str
    supplier_id: str
    category_id: str
    title: str
    moq: int
    lowest_unit_price: Money
    trade_assurance: bool
    guaranteed: bool
    easy_return: bool
    published_at: UtcDateTime


class ReviewPublished(Event):
    """A buyer reviewed a product or a store for a completed order."""

    TYPE = "catalog.review_published"

    review_id: str
    order_id: str
    buyer_id: str
    supplier_id: str
    target: ReviewTarget
    rating: Rating
    published_at: UtcDateTime


class ReviewRevised(Event):
    """A buyer used its one edit; aggregates swap the previous rating for the new one."""

    TYPE = "catalog.review_revised"

    review_id: str
    supplier_id: str
    target: ReviewTarget
    previous_rating: Rating
    rating: Rating
    revised_at: UtcDateTime
