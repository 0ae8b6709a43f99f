"""The catalog's lists as clients see them: each list's query (filters, sort) and its page of items."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from services.catalog.adapters.lists import DirectoryEntry
from services.catalog.domain.certifications import Certification, CredentialKind
from services.catalog.domain.listing import Tag
from services.catalog.domain.next_action import application_next_action, quote_next_action
from services.catalog.domain.product import Product
from services.catalog.domain.quote import QuoteStatus, quote_status
from services.catalog.domain.supplier import Supplier
from services.catalog.domain.verification_queue import (
    ApplicationStatus,
    application_status,
    pending_documents,
    waiting_since,
)
from shared.clock import UtcDateTime
from shared.contracts.catalog import BadgeSet, Quote, QuoteKind, SupplierType
from shared.http.pages import Page, PageQuery
from shared.money import Money
from shared.next_action import NextAction
from shared.text import Identifier, PlainText


class Badge(StrEnum):
    GOLD = Tag.GOLD
    VERIFIED = Tag.VERIFIED
    VERIFIED_PRO = Tag.VERIFIED_PRO


class DirectoryQuery(PageQuery):
    badge: Badge | None = Field(default=None, description="Only suppliers holding this badge now.")
    supplier_type: SupplierType | None = Field(default=None, description="The Verified Supplier type.")
    country: str | None = Field(
        default=None, pattern=r"^[A-Z]{2}$", max_length=2, description="ISO 3166-1 alpha-2"
    )
    certification: PlainText | None = Field(
        default=None, min_length=1, max_length=200, description="A certification in force, e.g. ISO 9001."
    )
    sort: Literal["name", "newest", "rating"] = Field(
        default="name", description="`name` A→Z, `newest` registered first, `rating` best store rating first."
    )

    def tags(self) -> list[str]:
        """The filters in the vocabulary the supplier's standing is tagged with (the one search uses)."""
        wanted = [
            self.badge,
            self.supplier_type and Tag.SUPPLIER_TYPE + self.supplier_type,
            self.country and Tag.COUNTRY + self.country,
            self.certification and Tag.CERTIFICATION + self.certification,
        ]
        return sorted(str(tag) for tag in wanted if tag)


class SupplierDirectoryEntry(BaseModel):
    """The public face of a supplier: no audit reports, checks or export figures."""

    id: str
    legal_name: str
    country: str
    year_established: int
    main_markets: list[str]
    registered_at: UtcDateTime
    trade_assurance_enrolled: bool
    badges: BadgeSet
    certifications: list[str] = Field(description="Names of the certifications in force.")
    rating: float | None = Field(description="Store rating, 1–5 stars; null while unrated.")
    rating_count: int

    @classmethod
    def of(cls, entry: DirectoryEntry) -> SupplierDirectoryEntry:
        profile, standing = entry.profile, entry.standing
        return cls(
            id=entry.supplier_id,
            legal_name=profile.legal_name,
            country=profile.country,
            year_established=profile.year_established,
            main_markets=list(profile.main_markets),
            registered_at=entry.registered_at,
            trade_assurance_enrolled=entry.trade_assurance_enrolled,
            badges=BadgeSet(
                gold=standing.gold,
                verified=standing.verified,
                supplier_type=standing.supplier_type,
                verified_pro=standing.verified_pro,
            ),
            certifications=list(standing.certifications),
            rating=standing.rating,
            rating_count=standing.rating_count,
        )


class SupplierDirectoryPage(Page[SupplierDirectoryEntry]):
    pass


class SupplierProductsQuery(PageQuery):
    category: PlainText | None = Field(default=None, min_length=1, max_length=100)
    sort: Literal["newest"] = "newest"


class ProductSummary(BaseModel):
    id: str
    title: str
    category_id: str
    unit: str
    moq: int
    order_multiple: int
    price_from: Money
    trade_assurance: bool
    guaranteed: bool
    easy_return: bool
    samples: bool
    published_at: UtcDateTime
    revised_at: UtcDateTime | None

    @classmethod
    def of(cls, product: Product) -> ProductSummary:
        return cls(
            id=product.id,
            title=product.title,
            category_id=product.category_id,
            unit=product.unit,
            moq=product.moq,
            order_multiple=product.order_multiple,
            price_from=product.lowest_unit_price,
            trade_assurance=product.trade_assurance,
            guaranteed=product.guaranteed is not None,
            easy_return=product.easy_return,
            samples=product.sample is not None,
            published_at=product.published_at,
            revised_at=product.revised_at,
        )


class ProductPage(Page[ProductSummary]):
    pass


class QuoteListQuery(PageQuery):
    product_id: Identifier | None = None
    expires_after: UtcDateTime | None = Field(
        default=None, description="Only quotes still valid at this instant: pass now for the valid ones."
    )
    sort: Literal["newest", "expiring"] = Field(
        default="newest", description="`newest` issued first; `expiring` the price lock that ends first."
    )


class QuoteSummary(BaseModel):
    id: str
    kind: QuoteKind
    product_id: str
    supplier_id: str
    buyer_id: str
    title: str
    quantity: int
    destination: str
    unit_price: Money
    total: Money
    issued_at: UtcDateTime
    expires_at: UtcDateTime
    status: QuoteStatus
    next_action: NextAction | None

    @classmethod
    def of(cls, quote: Quote, now: datetime) -> QuoteSummary:
        return cls(
            id=quote.id,
            kind=quote.kind,
            product_id=quote.product_id,
            supplier_id=quote.supplier_id,
            buyer_id=quote.buyer_id,
            title=quote.title,
            quantity=quote.quantity,
            destination=quote.destination,
            unit_price=quote.unit_price,
            total=quote.total,
            issued_at=quote.issued_at,
            expires_at=quote.expires_at,
            status=quote_status(quote, now),
            next_action=quote_next_action(quote, now),
        )


class QuotePage(Page[QuoteSummary]):
    pass


class ApplicationQuery(PageQuery):
    status: ApplicationStatus = ApplicationStatus.PENDING
    kind: CredentialKind | None = Field(
        default=None, description="Only applications with such a document pending."
    )
    sort: Literal["oldest"] = Field(default="oldest", description="The longest-waiting application first.")


class VerificationApplication(BaseModel):
    """A supplier's documents awaiting the verification desk, and how long the oldest has waited."""

    supplier_id: str
    legal_name: str
    country: str
    status: ApplicationStatus
    pending_documents: list[Certification]
    waiting_since: UtcDateTime | None
    age: timedelta | None = Field(description="How long the oldest pending document has waited.")
    next_action: NextAction | None

    @classmethod
    def of(cls, supplier: Supplier, now: datetime) -> VerificationApplication:
        since = waiting_since(supplier)
        return cls(
            supplier_id=supplier.id,
            legal_name=supplier.profile.legal_name,
            country=supplier.profile.country,
            status=application_status(supplier) or ApplicationStatus.REVIEWED,
            pending_documents=list(pending_documents(supplier)),
            waiting_since=since,
            age=None if since is None else now - since,
            next_action=application_next_action(supplier),
        )


class ApplicationPage(Page[VerificationApplication]):
    pass
