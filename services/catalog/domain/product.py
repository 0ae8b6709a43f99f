"""Products: wholesale terms (MOQ, order multiple, quantity tiers), offer flags and samples."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from shared.clock import UtcDateTime
from shared.contracts.catalog import AfterSalesLabel
from shared.money import CurrencyCode, Money, Quantity


class PriceTier(BaseModel):
    """Unit price for quantities from `min_qty` up to `max_qty` (open-ended when None)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_qty: Quantity
    max_qty: Quantity | None = None
    unit_price: Money


class SampleOffer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    unit_price: Money
    max_qty: Quantity


class GuaranteedOffer(BaseModel):
    """A fixed landed price (shipping from the route table) and a dispatch promise."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dispatch_within: timedelta


class ProductTerms(BaseModel):
    """What a supplier submits to list or revise a product; checked by `product_rules`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    category_id: str = Field(min_length=1)
    parent_category_id: str | None = None
    attributes: dict[str, str] = Field(default_factory=dict)
    unit: str = Field(default="piece", min_length=1, max_length=40)
    # Needed only when a Guaranteed route is priced by weight.
    unit_weight_grams: int | None = Field(default=None, ge=1)
    moq: int = Field(ge=1)
    order_multiple: int = Field(default=1, ge=1)
    currency: CurrencyCode
    tiers: tuple[PriceTier, ...] = Field(min_length=1)
    trade_assurance: bool = False
    guaranteed: GuaranteedOffer | None = None
    easy_return: bool = False
    after_sales: frozenset[AfterSalesLabel] = frozenset()
    sample: SampleOffer | None = None


class Product(ProductTerms):
    """A listed product, owned by one supplier."""

    id: str = Field(min_length=1)
    supplier_id: str = Field(min_length=1)
    published_at: UtcDateTime
    revised_at: UtcDateTime | None = None

    @property
    def lowest_unit_price(self) -> Money:
        return min((tier.unit_price for tier in self.tiers), key=lambda price: price.amount)


def list_product(product_id: str, supplier_id: str, terms: ProductTerms, now: datetime) -> Product:
    return Product(id=product_id, supplier_id=supplier_id, published_at=now, **dict(terms))


def with_terms(product: Product, terms: ProductTerms, now: datetime) -> Product:
    return Product(
        id=product.id,
        supplier_id=product.supplier_id,
        published_at=product.published_at,
        revised_at=now,
        **dict(terms),
    )
