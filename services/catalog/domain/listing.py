"""What search knows about a product: its own terms plus a snapshot of its supplier's standing.

The supplier part is denormalised onto every product of the supplier so that filters and ranking are
served from one collection's indexes; it is rewritten whenever the supplier's badges, certifications,
metrics or store rating change.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from services.catalog.domain.badges import BadgeReport
from services.catalog.domain.certifications import in_force
from services.catalog.domain.keywords import keywords, tokens
from services.catalog.domain.metrics import SupplierMetrics
from services.catalog.domain.policy import RankingPolicy, RedFlagPolicy
from services.catalog.domain.product import Product
from services.catalog.domain.ranking import RankingSignals, rank_score
from services.catalog.domain.ratings import RatingAggregate
from services.catalog.domain.red_flags import quantity_band
from services.catalog.domain.supplier import Supplier
from shared.contracts.catalog import SupplierType

# Upper bound of an open-ended tier in the search copy, so one range query covers every tier.
UNBOUNDED_QTY = 2**53


class Tag:
    """The facet vocabulary: every filterable yes/no or category fact is one string in a tag array."""

    TRADE_ASSURANCE = "trade_assurance"
    GUARANTEED = "guaranteed"
    EASY_RETURN = "easy_return"
    SAMPLES = "samples"
    VERIFIED = "verified"
    VERIFIED_PRO = "verified_pro"
    GOLD = "gold"
    CATEGORY = "category:"
    CURRENCY = "currency:"
    SUPPLIER_TYPE = "supplier_type:"
    CERTIFICATION = "certification:"
    COUNTRY = "country:"


class SupplierStanding(BaseModel):
    """The supplier facts search filters and ranks on, as of the last change."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    supplier_id: str
    country: str
    gold: bool = False
    verified: bool = False
    verified_pro: bool = False
    supplier_type: SupplierType | None = None
    certifications: tuple[str, ...] = ()
    rating: float | None = None
    rating_count: int = 0
    on_time_bps: int | None = None

    def signals(self, relevance: float = 0.0) -> RankingSignals:
        return RankingSignals(
            relevance=relevance,
            verified=self.verified,
            verified_pro=self.verified_pro,
            rating=self.rating,
            on_time_bps=self.on_time_bps,
        )

    @property
    def tags(self) -> list[str]:
        flags = {Tag.VERIFIED: self.verified, Tag.VERIFIED_PRO: self.verified_pro, Tag.GOLD: self.gold}
        tags = [tag for tag, held in flags.items() if held]
        if self.supplier_type is not None:
            tags.append(Tag.SUPPLIER_TYPE + self.supplier_type)
        tags += [Tag.CERTIFICATION + name for name in self.certifications]
        return [*tags, Tag.COUNTRY + self.country]


def standing(
    supplier: Supplier, report: BadgeReport, metrics: SupplierMetrics, store: RatingAggregate, now: datetime
) -> SupplierStanding:
    """`report` is computed at `now`."""
    return SupplierStanding(
        supplier_id=supplier.id,
        country=supplier.profile.country,
        gold=report.badges.gold,
        verified=report.badges.verified,
        verified_pro=report.badges.verified_pro,
        supplier_type=report.badges.supplier_type,
        certifications=tuple(sorted({c.name for c in in_force(list(supplier.certifications), now)})),
        rating=store.stars,
        rating_count=store.count,
        on_time_bps=metrics.on_time_bps,
    )


class SupplierListingFields(BaseModel):
    """The supplier part of every product document of that supplier."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    supplier: SupplierStanding
    supplier_tags: list[str]
    boost: float  # the ranking score without text relevance: what a keyword adds is computed per query
    rating: float  # 0 when unrated, so that sorting and `min_rating` treat unrated as lowest


def supplier_fields(supplier: SupplierStanding, policy: RankingPolicy) -> SupplierListingFields:
    return SupplierListingFields(
        supplier=supplier,
        supplier_tags=supplier.tags,
        boost=rank_score(supplier.signals(), policy).total,
        rating=supplier.rating or 0.0,
    )


class PriceBand(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    min_qty: int
    max_qty: int
    amount: int


class ProductListingFields(BaseModel):
    """The product part of its search document."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    supplier_id: str
    category_id: str
    parent_category_id: str | None
    currency: str
    keywords: list[str]
    title_tokens: list[str]
    product_tags: list[str]
    moq: int
    price_from: int
    price_tiers: list[PriceBand]
    band_prices: dict[str, int]
    published_at: datetime  # the supplier's product list shows the newest first


def product_fields(product: Product, red_flags: RedFlagPolicy) -> ProductListingFields:
    attributes = " ".join(f"{name} {value}" for name, value in product.attributes.items())
    categories = [c for c in (product.category_id, product.parent_category_id) if c]
    return ProductListingFields(
        supplier_id=product.supplier_id,
        category_id=product.category_id,
        parent_category_id=product.parent_category_id,
        currency=product.currency,
        keywords=keywords(product.title, *categories, attributes),
        title_tokens=tokens(product.title),
        product_tags=_product_tags(product, categories),
        moq=product.moq,
        price_from=product.lowest_unit_price.amount,
        price_tiers=[
            PriceBand(min_qty=t.min_qty, max_qty=t.max_qty or UNBOUNDED_QTY, amount=t.unit_price.amount)
            for t in product.tiers
        ],
        band_prices={str(band): amount for band, amount in band_prices(product, red_flags).items()},
        published_at=product.published_at,
    )


def _product_tags(product: Product, categories: list[str]) -> list[str]:
    flags = {
        Tag.TRADE_ASSURANCE: product.trade_assurance,
        Tag.GUARANTEED: product.guaranteed is not None,
        # A listing revised before the rule held may still say so: the filter shows only what an order gets.
        Tag.EASY_RETURN: product.easy_return and product.trade_assurance,
        Tag.SAMPLES: product.sample is not None,
    }
    # Categories first: the index scan starts from the first tag of a query, and they select most.
    tags = [Tag.CATEGORY + category for category in categories]
    return [*tags, *(tag for tag, held in flags.items() if held), Tag.CURRENCY + product.currency]


def price_at(product: Product, quantity: int) -> int | None:
    """Unit price (minor units) of the tier covering `quantity`, ignoring the order multiple."""
    covering = [t for t in product.tiers if t.min_qty <= quantity <= (t.max_qty or UNBOUNDED_QTY)]
    return covering[-1].unit_price.amount if covering else None


def band_prices(product: Product, policy: RedFlagPolicy) -> dict[int, int]:
    """The listing's unit price in each quantity band it sells in: what red flags compare it against.

    In a band, a listing is represented by its price at the smallest quantity of the band it accepts.
    """
    prices: dict[int, int] = {}
    for band in policy.quantity_bands:
        quantity = max(band, product.moq)
        if quantity_band(quantity, policy) != band:
            continue  # the MOQ lies beyond this band
        price = price_at(product, quantity)
        if price is not None:
            prices[band] = price
    return prices
