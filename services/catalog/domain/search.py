"""Product search: the query a buyer asks, its cursor, and facet counts read from tag counts."""

from __future__ import annotations

import base64
import binascii
import json
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.catalog.domain.errors import InvalidFieldError
from services.catalog.domain.listing import Tag
from shared.contracts.catalog import SupplierType


class SortKey(StrEnum):
    RELEVANCE = "relevance"  # text relevance plus the badge, rating and on-time boosts
    PRICE = "price"  # lowest unit price, ascending
    RATING = "rating"  # store rating, descending
    ORDERS = "orders"  # completed orders of the product, descending


class SearchQuery(BaseModel):
    """Keyword, filters, sort and page. Prices are minor units of `currency`, which they require."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    q: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=100)
    verified: bool = False
    verified_pro: bool = False
    supplier_type: SupplierType | None = None
    trade_assurance: bool = False
    guaranteed: bool = False
    easy_return: bool = False
    certification: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=2, pattern=r"^[A-Z]{2}$")
    currency: str | None = Field(default=None, max_length=3, pattern=r"^[A-Z]{3}$")
    min_price: int | None = Field(default=None, ge=0)
    max_price: int | None = Field(default=None, ge=0)
    quantity: int | None = Field(default=None, ge=1, description="Price range applies at this quantity.")
    max_moq: int | None = Field(default=None, ge=1)
    min_rating: float | None = Field(default=None, ge=0, le=5)
    sort: SortKey = SortKey.RELEVANCE
    cursor: str | None = Field(default=None, max_length=1_000)
    limit: int | None = Field(default=None, ge=1, description="Page size; capped by the service.")
    explain: bool = False
    facets: bool = True

    @property
    def prices_filtered(self) -> bool:
        return self.min_price is not None or self.max_price is not None

    def required_tags(self) -> tuple[list[str], list[str]]:
        """(product tags, supplier tags) every hit must carry, most selective first."""
        product: list[str] = []
        if self.category:
            product.append(Tag.CATEGORY + self.category)
        flags = {
            Tag.TRADE_ASSURANCE: self.trade_assurance,
            Tag.GUARANTEED: self.guaranteed,
            Tag.EASY_RETURN: self.easy_return,
        }
        product += [tag for tag, wanted in flags.items() if wanted]
        if self.currency:
            product.append(Tag.CURRENCY + self.currency)
        supplier: list[str] = []
        if self.certification:
            supplier.append(Tag.CERTIFICATION + self.certification)
        if self.supplier_type:
            supplier.append(Tag.SUPPLIER_TYPE + self.supplier_type)
        if self.country:
            supplier.append(Tag.COUNTRY + self.country)
        badges = ((Tag.VERIFIED_PRO, self.verified_pro), (Tag.VERIFIED, self.verified))
        supplier += [tag for tag, wanted in badges if wanted]
        return product, supplier


def check_query(query: SearchQuery) -> None:
    """Amounts in different currencies cannot be compared, so price filters and sort name one."""
    if (query.prices_filtered or query.sort is SortKey.PRICE) and query.currency is None:
        raise InvalidFieldError("currency", "price filters and sort=price need a currency")
    if query.min_price is not None and query.max_price is not None and query.min_price > query.max_price:
        raise InvalidFieldError("min_price", "must not exceed max_price")


class Cursor(BaseModel):
    """Where the previous page ended: the sort it belongs to, the last sort value and id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sort: SortKey
    value: float
    id: str

    def encode(self) -> str:
        raw = json.dumps(self.model_dump(mode="json"), separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, sort: SortKey) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            cursor = cls.model_validate_json(raw)
        except (binascii.Error, ValueError, ValidationError):
            raise InvalidFieldError("cursor", "not a cursor returned by this search") from None
        if cursor.sort is not sort:
            raise InvalidFieldError("cursor", f"belongs to sort={cursor.sort}, not sort={sort}")
        return cursor


class Facets(BaseModel):
    """How many hits carry each filterable fact (counts within the current filters)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    total: int = 0
    verified: int = 0
    verified_pro: int = 0
    gold: int = 0
    trade_assurance: int = 0
    guaranteed: int = 0
    easy_return: int = 0
    samples: int = 0
    category: dict[str, int] = Field(default_factory=dict)
    supplier_type: dict[str, int] = Field(default_factory=dict)
    certification: dict[str, int] = Field(default_factory=dict)
    country: dict[str, int] = Field(default_factory=dict)
    currency: dict[str, int] = Field(default_factory=dict)


_FLAG_FACETS = ("verified", "verified_pro", "gold", "trade_assurance", "guaranteed", "easy_return", "samples")
_VALUE_FACETS = {
    Tag.CATEGORY: "category",
    Tag.SUPPLIER_TYPE: "supplier_type",
    Tag.CERTIFICATION: "certification",
    Tag.COUNTRY: "country",
    Tag.CURRENCY: "currency",
}


def facets_from_tags(counts: dict[str, int]) -> Facets:
    """Every product has exactly one currency tag, so the currency counts add up to the total."""
    values: dict[str, dict[str, int]] = {name: {} for name in _VALUE_FACETS.values()}
    for tag, count in counts.items():
        for prefix, name in _VALUE_FACETS.items():
            if tag.startswith(prefix):
                values[name][tag.removeprefix(prefix)] = count
    flags = {name: counts.get(name, 0) for name in _FLAG_FACETS}
    ordered = {name: dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))) for name, v in values.items()}
    return Facets(total=sum(values["currency"].values()), **flags, **ordered)
