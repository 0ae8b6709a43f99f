"""Integration events the catalog publishes (`catalog.<what_happened>`, version 1)."""

from __future__ import annotations

from pydantic import AwareDatetime

from services.catalog.domain.ratings import Rating, ReviewTarget
from services.catalog.domain.supplier import BadgeSet
from shared.messaging.envelope import Event
from shared.money import Money


class SupplierBadgesChanged(Event):
    """A supplier gained or lost Gold, Verified (or its type) or Verified Pro."""

    TYPE = "catalog.supplier_badges_changed"

    supplier_id: str
    badges: BadgeSet
    previous: BadgeSet
    verified_pro_missing: tuple[str, ...]
    reason: str  # what triggered the re-evaluation: audit, gold_membership, timer, …
    changed_at: AwareDatetime
    next_change_at: AwareDatetime | None


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
    published_at: AwareDatetime


class ReviewPublished(Event):
    """A buyer reviewed a product or a store for a completed order."""

    TYPE = "catalog.review_published"

    review_id: str
    order_id: str
    buyer_id: str
    supplier_id: str
    target: ReviewTarget
    rating: Rating
    published_at: AwareDatetime


class ReviewRevised(Event):
    """A buyer used its one edit; aggregates swap the previous rating for the new one."""

    TYPE = "catalog.review_revised"

    review_id: str
    supplier_id: str
    target: ReviewTarget
    previous_rating: Rating
    rating: Rating
    revised_at: AwareDatetime
