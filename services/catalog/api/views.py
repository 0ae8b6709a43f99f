"""Response models: what clients see of suppliers, products, search pages, quotes and reviews."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from services.catalog.adapters.product_search import Hit
from services.catalog.domain.badges import ProCriterion
from services.catalog.domain.certifications import (
    Certification,
    CredentialKind,
    VerificationStatus,
    is_in_force,
)
from services.catalog.domain.listing import SupplierStanding, price_at
from services.catalog.domain.metrics import SupplierMetrics
from services.catalog.domain.policy import RankingPolicy
from services.catalog.domain.product import Product
from services.catalog.domain.ranking import RankingScore, rank_score
from services.catalog.domain.ratings import RatingAggregate
from services.catalog.domain.reviews import Review, SupplierReply, reviewer_label
from services.catalog.domain.search import Facets
from services.catalog.domain.supplier import SupplierProfile
from services.catalog.domain.verification import (
    Agency,
    Audit,
    AuditArea,
    AuditScope,
    ClientCase,
    CredentialCheck,
    GoldMembership,
)
from services.catalog.handlers.products import ProductDetails
from services.catalog.handlers.suppliers import SupplierDetails
from shared.clock import UtcDateTime
from shared.contracts.catalog import BadgeSet, Quote, Rating, ReviewTarget, RiskSignal, SupplierType
from shared.money import Money
from shared.security.access import Parties, relation_to
from shared.security.jwt import Principal


class RatingView(BaseModel):
    count: int
    stars: float | None
    quality: float | None
    service: float | None
    delivery: float | None

    @classmethod
    def of(cls, aggregate: RatingAggregate) -> RatingView:
        return cls(
            count=aggregate.count,
            stars=aggregate.stars,
            quality=aggregate.quality,
            service=aggregate.service,
            delivery=aggregate.delivery,
        )


class VerifiedProView(BaseModel):
    eligible: bool
    met: list[ProCriterion]
    missing: list[ProCriterion]


class CertificationView(Certification):
    in_force: bool


class MetricsView(BaseModel):
    orders: int
    completed_orders: int
    on_time_dispatch_bps: int | None
    on_time_delivery_bps: int | None
    dispute_rate_bps: int | None
    refund_rate_bps: int | None

    @classmethod
    def of(cls, metrics: SupplierMetrics) -> MetricsView:
        return cls(
            orders=metrics.orders,
            completed_orders=metrics.completed_orders,
            on_time_dispatch_bps=metrics.on_time_dispatch_bps,
            on_time_delivery_bps=metrics.on_time_delivery_bps,
            dispute_rate_bps=metrics.dispute_rate_bps,
            refund_rate_bps=metrics.refund_rate_bps,
        )


class PublicCertification(BaseModel):
    """A certificate as anyone sees it: what, by whom, how long, whether it counts; not its number."""

    kind: CredentialKind
    name: str
    issuer: str
    valid_from: UtcDateTime
    valid_until: UtcDateTime | None
    status: VerificationStatus
    in_force: bool


class PublicAudit(BaseModel):
    """An audit as anyone sees it: agency, scope and validity; not the report's reference."""

    agency: Agency
    scopes: frozenset[AuditScope]
    areas: frozenset[AuditArea]
    supplier_type: SupplierType
    audited_at: UtcDateTime
    expires_at: UtcDateTime
    advanced_manufacturing_attested: bool


class PublicCredentialCheck(BaseModel):
    """A credential check as anyone sees it: the agency and when; not the check's reference."""

    agency: str
    checked_at: UtcDateTime


class _SupplierStanding(BaseModel):
    """What every reader sees of a supplier; its verification records differ by audience."""

    id: str
    profile: SupplierProfile
    registered_at: UtcDateTime
    trade_assurance_enrolled: bool
    badges: BadgeSet
    verified_pro: VerifiedProView
    badges_next_change_at: UtcDateTime | None
    gold_memberships: list[GoldMembership]
    client_cases: list[ClientCase]
    export_percentile: int | None
    experience_since: UtcDateTime | None
    metrics: MetricsView
    store_rating: RatingView
    risk_signals: list[RiskSignal]


class SupplierView(_SupplierStanding):
    """The supplier as it and operations see it: every verification record with its reference numbers."""

    certifications: list[CertificationView]
    audits: list[Audit]
    credential_checks: list[CredentialCheck]

    @classmethod
    def of(cls, details: SupplierDetails, now: datetime) -> SupplierView:
        supplier, report = details.supplier, details.report
        pro = report.verified_pro
        return cls(
            id=supplier.id,
            profile=supplier.profile,
            registered_at=supplier.registered_at,
            trade_assurance_enrolled=supplier.trade_assurance_enrolled,
            badges=report.badges,
            verified_pro=VerifiedProView(eligible=pro.eligible, met=list(pro.met), missing=list(pro.missing)),
            badges_next_change_at=report.next_change_at,
            certifications=[
                CertificationView(**dict(cert), in_force=is_in_force(cert, now))
                for cert in supplier.certifications
            ],
            audits=list(supplier.audits),
            credential_checks=list(supplier.credential_checks),
            gold_memberships=list(supplier.memberships),
            client_cases=list(supplier.client_cases),
            export_percentile=supplier.export_percentile,
            experience_since=supplier.experience_since,
            metrics=MetricsView.of(details.metrics),
            store_rating=RatingView.of(details.store_rating),
            risk_signals=list(details.risk_signals),
        )


class PublicSupplierView(_SupplierStanding):
    """The supplier as buyers, other suppliers and services see it: no verification reference numbers."""

    certifications: list[PublicCertification]
    audits: list[PublicAudit]
    credential_checks: list[PublicCredentialCheck]

    @classmethod
    def of(cls, full: SupplierView) -> PublicSupplierView:
        return cls.model_validate(full.model_dump())


def supplier_view(
    details: SupplierDetails, now: datetime, reader: Principal
) -> SupplierView | PublicSupplierView:
    """The supplier itself and operations see its reference numbers; every other reader the public view."""
    full = SupplierView.of(details, now)
    return full if relation_to(reader, Parties(supplier_id=full.id)) else PublicSupplierView.of(full)


class ProductView(BaseModel):
    product: Product
    supplier: SupplierStanding
    completed_orders: int
    rating: RatingView
    risk_signals: list[RiskSignal]

    @classmethod
    def of(cls, details: ProductDetails) -> ProductView:
        record = details.record
        return cls(
            product=record.product,
            supplier=record.supplier,
            completed_orders=record.orders,
            rating=RatingView.of(details.rating),
            risk_signals=list(details.risk_signals),
        )


class SearchHitView(BaseModel):
    id: str
    title: str
    category_id: str
    supplier_id: str
    moq: int
    order_multiple: int
    unit: str
    price_from: Money
    unit_price_at_quantity: Money | None
    trade_assurance: bool
    guaranteed: bool
    easy_return: bool
    completed_orders: int
    supplier: SupplierStanding
    score: RankingScore | None = None

    @classmethod
    def of(cls, hit: Hit, quantity: int | None, ranking: RankingPolicy | None) -> SearchHitView:
        product = hit.product
        at_quantity = price_at(product, quantity) if quantity is not None else None
        return cls(
            id=product.id,
            title=product.title,
            category_id=product.category_id,
            supplier_id=product.supplier_id,
            moq=product.moq,
            order_multiple=product.order_multiple,
            unit=product.unit,
            price_from=product.lowest_unit_price,
            unit_price_at_quantity=None
            if at_quantity is None
            else Money(amount=at_quantity, currency=product.currency),
            trade_assurance=product.trade_assurance,
            guaranteed=product.guaranteed is not None,
            easy_return=product.easy_return,
            completed_orders=hit.orders,
            supplier=hit.supplier,
            score=rank_score(hit.supplier.signals(hit.relevance), ranking) if ranking else None,
        )


class SearchPageView(BaseModel):
    items: list[SearchHitView]
    next_cursor: str | None
    facets: Facets | None


class QuoteView(BaseModel):
    quote: Quote
    token: str  # the signed quote: POST it to escrow's /v1/orders as `quote`


class _ReviewBody(BaseModel):
    id: str
    reviewer: str = Field(description="A pseudonymous label of the verified buyer who wrote it.")
    supplier_id: str
    target: ReviewTarget
    rating: Rating
    comment: str
    published_at: UtcDateTime
    edits: int = 0
    revised_at: UtcDateTime | None = None
    reply: SupplierReply | None = None


class ReviewView(_ReviewBody):
    """A review as its author and operations see it: with the order and the buyer behind it."""

    order_id: str
    buyer_id: str

    @classmethod
    def of(cls, review: Review) -> ReviewView:
        return cls.model_validate({**review.model_dump(), "reviewer": reviewer_label(review)})


class PublicReviewView(_ReviewBody):
    """A review as every other reader sees it: by a verified buyer, named by a pseudonym only."""

    @classmethod
    def of(cls, review: Review) -> PublicReviewView:
        return cls.model_validate({**review.model_dump(), "reviewer": reviewer_label(review)})


def review_view(review: Review, reader: Principal) -> ReviewView | PublicReviewView:
    """The reviewer and operations see who wrote it and for which order; others a pseudonym."""
    if relation_to(reader, Parties(buyer_id=review.buyer_id)):
        return ReviewView.of(review)
    return PublicReviewView.of(review)


class ReviewListView(BaseModel):
    rating: RatingView
    reviews: list[ReviewView | PublicReviewView] = Field(description="The reader's own reviews in full.")

    @classmethod
    def of(cls, aggregate: RatingAggregate, reviews: list[Review], reader: Principal) -> ReviewListView:
        return cls(
            rating=RatingView.of(aggregate), reviews=[review_view(review, reader) for review in reviews]
        )


class Created(BaseModel):
    id: str
