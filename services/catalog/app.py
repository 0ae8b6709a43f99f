"""Composition root of the catalog service: wires adapters, handlers, routes, subscriptions and timers."""

from __future__ import annotations

from aiohttp import web

from services.catalog.adapters.exchange_rates import (
    ExchangeRates,
    SandboxExchangeRates,
    UnconfiguredExchangeRates,
)
from services.catalog.adapters.lists import CatalogLists
from services.catalog.adapters.metrics import MetricsRepository
from services.catalog.adapters.product_search import ProductSearch
from services.catalog.adapters.products import PRODUCT_INDEXES, SUPPLIER_PRODUCTS, ProductRepository
from services.catalog.adapters.quote_basis import QuoteBasisReader
from services.catalog.adapters.quotes import QUOTE_LIST, QuoteRepository, QuoteSigner
from services.catalog.adapters.reviews import (
    REVIEW_INDEXES,
    CompletedOrders,
    RatingAggregates,
    ReviewRepository,
)
from services.catalog.adapters.routes import ROUTE_INDEXES, RouteTable
from services.catalog.adapters.suppliers import DIRECTORY, VERIFICATION_QUEUE, SupplierRepository
from services.catalog.api import deps
from services.catalog.api.products import api as products_api
from services.catalog.api.quotes import api as quotes_api
from services.catalog.api.reviews import api as reviews_api
from services.catalog.api.sandbox import api as sandbox_rates_api
from services.catalog.api.suppliers import api as suppliers_api
from services.catalog.api.verification import api as verification_api
from services.catalog.bootstrap import bootstrap
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
from services.catalog.handlers.timers import catalog_timers
from services.catalog.settings import CatalogSettings
from shared.clock import Clock
from shared.platform import Platform
from shared.security.jwt import TokenVerifier
from shared.service import ServiceParts, build_web_app
from shared.unit_of_work import MongoUnitOfWork

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
    uow = MongoUnitOfWork(platform.client, platform.outbox)
    sandbox_rates = SandboxExchangeRates(platform.clock)
    # The sandbox provider stands in for a market-data provider only in sandbox mode; never in production.
    rates: ExchangeRates = sandbox_rates if settings.sandbox else UnconfiguredExchangeRates()
    catalog = bootstrap(
        uow=uow,
        suppliers=SupplierRepository(db),
        products=ProductRepository(db),
        metrics=MetricsRepository(db),
        reviews=ReviewRepository(db),
        ratings=RatingAggregates(db),
        orders=CompletedOrders(db),
        routes=RouteTable(db),
        quotes=QuoteRepository(db),
        quote_bases=QuoteBasisReader(db),
        signer=QuoteSigner(
            settings.quote_signing_key_file, audience=settings.quote_audience, issuer=settings.quote_issuer
        ),
        rates=rates,
        policy=policy,
        clock=platform.clock,
        max_comparables=settings.red_flag_max_comparables,
    )
    search = ProductSearch(db, relevance_weight=policy.ranking.relevance_weight)
    limits = deps.SearchLimits(
        default_page_size=settings.search_default_page_size, max_page_size=settings.search_max_page_size
    )
    parts = ServiceParts(
        apis=[suppliers_api, verification_api, products_api, quotes_api, reviews_api, sandbox_rates_api],
        subscriptions=list(catalog.subscriptions),
        indexes=[PRODUCT_INDEXES, REVIEW_INDEXES, ROUTE_INDEXES],
        lists=[DIRECTORY, SUPPLIER_PRODUCTS, QUOTE_LIST, VERIFICATION_QUEUE],
        timers=catalog_timers(
            client=platform.client, db=db, clock=platform.clock, uow=uow, suppliers=catalog.suppliers
        ),
        error_statuses=ERROR_STATUSES,
    )
    app = build_web_app(platform, parts, verifier=verifier)
    # What the routes read from the request's app.
    app[deps.CLOCK] = platform.clock
    app[deps.SUPPLIERS] = catalog.suppliers
    app[deps.PRODUCTS] = catalog.products
    app[deps.REVIEWS] = catalog.reviews
    app[deps.QUOTES] = catalog.quotes
    app[deps.SEARCH] = search
    app[deps.LISTS] = CatalogLists(db)
    app[deps.SEARCH_LIMITS] = limits
    app[deps.RANKING] = policy.ranking
    app[deps.BADGES] = policy.badges
    app[deps.SANDBOX_RATES] = sandbox_rates
    return app
