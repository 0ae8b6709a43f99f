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
from services.catalog.api import deps
from services.catalog.api.products import api as products_api
from services.catalog.api.quotes import api as quotes_api
from services.catalog.api.reviews import api as reviews_api
from services.catalog.api.suppliers import api as suppliers_api
from services.catalog.api.verification import api as verification_api
from services.catalog.domain.errors import (
    AlreadyReviewedError,
    CatalogError,
    ConcurrentChangeError,
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
    ConcurrentChangeError: 409,
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
    limits = deps.SearchLimits(
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
        apis=[suppliers_api, verification_api, products_api, quotes_api, reviews_api],
        subscriptions=[escrow_events(facts), logistics_events(facts, routes), disputes_events(facts)],
        indexes=[PRODUCT_INDEXES, REVIEW_INDEXES, ROUTE_INDEXES],
        timers=[badge_timer],
        error_statuses=ERROR_STATUSES,
    )
    app = build_web_app(platform, parts, verifier=verifier)
    # What the routes read from the request's app.
    app[deps.CLOCK] = platform.clock
    app[deps.SUPPLIERS] = supplier_service
    app[deps.PRODUCTS] = product_service
    app[deps.REVIEWS] = review_service
    app[deps.QUOTES] = quote_service
    app[deps.SEARCH] = search
    app[deps.SEARCH_LIMITS] = limits
    app[deps.RANKING] = policy.ranking
    app[deps.BADGES] = policy.badges
    return app
