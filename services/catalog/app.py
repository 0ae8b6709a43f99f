"""Composition root of the catalog service: wires adapters, handlers, routes, subscriptions and timers."""

from __future__ import annotations

from aiohttp import web

from services.catalog.adapters.metrics import MetricsRepository
from services.catalog.adapters.product_search import ProductSearch
from services.catalog.adapters.products import PRODUCT_INDEXES, ProductRepository
from services.catalog.adapters.quotes import QuoteRepository, QuoteSigner
from services.catalog.adapters.reviews import (
    REVIEW_INDEXES,
    CompletedOrders,
    RatingAggregates,
    ReviewRepository,
)
from services.catalog.adapters.routes import ROUTE_INDEXES, RouteTable
from services.catalog.adapters.suppliers import BADGES_DUE, SUPPLIERS, SupplierRepository
from services.catalog.api.products import SearchLimits, products_api
from services.catalog.api.quotes import quotes_api
from services.catalog.api.reviews import reviews_api
from services.catalog.api.suppliers import suppliers_api
from services.catalog.api.verification import verification_api
from services.catalog.domain.errors import (
    AlreadyReviewedError,
    CatalogError,
    InvalidFieldError,
    NotFoundError,
    NotOwnerError,
    ReplyAlreadyPostedError,
    ReviewEditLimitReachedError,
    ReviewNotAllowedError,
)
from services.catalog.handlers.order_events import (
    OrderFacts,
    disputes_events,
    escrow_events,
    logistics_events,
)
from services.catalog.handlers.products import ProductService
from services.catalog.handlers.quotes import QuoteService
from services.catalog.handlers.reviews import ReviewService
from services.catalog.handlers.risk import RiskAssessor
from services.catalog.handlers.storefront import Storefront
from services.catalog.handlers.suppliers import SupplierService
from services.catalog.settings import CatalogSettings
from shared.clock import Clock
from shared.platform import Platform
from shared.security.jwt import TokenVerifier
from shared.service import ServiceParts, build_web_app
from shared.timers import DueTimer

ERROR_STATUSES: dict[type[Exception], int] = {
    CatalogError: 409,
    InvalidFieldError: 422,
    NotFoundError: 404,
    NotOwnerError: 403,
    ReviewNotAllowedError: 403,
    AlreadyReviewedError: 409,
    ReviewEditLimitReachedError: 409,
    ReplyAlreadyPostedError: 409,
}


def build_app(
    settings: CatalogSettings | None = None,
    *,
    clock: Clock | None = None,
    verifier: TokenVerifier | None = None,
) -> web.Application:
    settings = settings or CatalogSettings()
    policy = settings.policy
    platform = Platform(settings, clock=clock)
    db = platform.db
    suppliers, products, metrics = SupplierRepository(db), ProductRepository(db), MetricsRepository(db)
    ratings, reviews, orders = RatingAggregates(db), ReviewRepository(db), CompletedOrders(db)
    routes = RouteTable(db)
    storefront = Storefront(suppliers, products, metrics, ratings, policy, platform.clock)
    risk = RiskAssessor(
        products, metrics, policy.red_flags, max_comparables=settings.red_flag_max_comparables
    )
    supplier_service = SupplierService(platform, suppliers, metrics, ratings, storefront, risk, policy)
    product_service = ProductService(platform, products, suppliers, ratings, storefront, risk, policy)
    review_service = ReviewService(platform, reviews, orders, ratings, storefront, policy.reviews)
    signer = QuoteSigner(
        settings.quote_signing_key_file, audience=settings.quote_audience, issuer=settings.quote_issuer
    )
    quote_service = QuoteService(
        platform, products, suppliers, routes, QuoteRepository(db), signer, risk, policy.quotes
    )
    search = ProductSearch(db, relevance_weight=policy.ranking.relevance_weight)
    limits = SearchLimits(
        default_page_size=settings.search_default_page_size, max_page_size=settings.search_max_page_size
    )
    facts = OrderFacts(metrics, orders, products, storefront)
    badge_timer = DueTimer(
        "badge-changes",
        client=platform.client,
        db=db,
        collection=SUPPLIERS,
        due_field=BADGES_DUE,
        fire=supplier_service.on_badges_due,
        clock=platform.clock,
    )
    parts = ServiceParts(
        apis=[
            suppliers_api(supplier_service, review_service, platform.clock),
            verification_api(supplier_service, policy.badges, platform.clock),
            products_api(product_service, search, review_service, policy.ranking, limits),
            quotes_api(quote_service),
            reviews_api(review_service),
        ],
        subscriptions=[escrow_events(facts), logistics_events(facts, routes), disputes_events(facts)],
        indexes=[PRODUCT_INDEXES, REVIEW_INDEXES, ROUTE_INDEXES],
        timers=[badge_timer],
        error_statuses=ERROR_STATUSES,
    )
    return build_web_app(platform, parts, verifier=verifier)
