"""The catalog's handlers wired once: over MongoDB in app.py, over in-memory fakes in tests."""

from __future__ import annotations

from dataclasses import dataclass

from services.catalog.adapters.exchange_rates import ExchangeRates
from services.catalog.domain.policy import CatalogPolicy
from services.catalog.handlers.order_events import (
    OrderFacts,
    disputes_events,
    escrow_events,
    logistics_events,
)
from services.catalog.handlers.ports import (
    CompletedOrders,
    IssuedQuotes,
    Metrics,
    Products,
    QuoteBases,
    QuoteSigner,
    Ratings,
    Reviews,
    Routes,
    Suppliers,
)
from services.catalog.handlers.products import ProductCommands
from services.catalog.handlers.quotes import QuoteCommands
from services.catalog.handlers.reviews import ReviewCommands
from services.catalog.handlers.risk import RiskAssessor
from services.catalog.handlers.storefront import Storefront
from services.catalog.handlers.suppliers import SupplierCommands
from shared.clock import Clock
from shared.messaging.subscription import Subscription
from shared.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Catalog:
    """Every catalog handler, wired once: what the routes, the consumers and the timer call."""

    suppliers: SupplierCommands
    products: ProductCommands
    quotes: QuoteCommands
    reviews: ReviewCommands
    subscriptions: tuple[Subscription, ...]


def bootstrap(
    *,
    uow: UnitOfWork,
    suppliers: Suppliers,
    products: Products,
    metrics: Metrics,
    reviews: Reviews,
    ratings: Ratings,
    orders: CompletedOrders,
    routes: Routes,
    quotes: IssuedQuotes,
    quote_bases: QuoteBases,
    signer: QuoteSigner,
    rates: ExchangeRates,
    policy: CatalogPolicy,
    clock: Clock,
    max_comparables: int,
) -> Catalog:
    storefront = Storefront(suppliers, products, metrics, ratings, policy, clock)
    risk = RiskAssessor(products, metrics, policy.red_flags, max_comparables=max_comparables)
    facts = OrderFacts(metrics, orders, products, storefront)
    return Catalog(
        suppliers=SupplierCommands(uow, suppliers, metrics, ratings, storefront, risk, policy, clock),
        products=ProductCommands(uow, products, suppliers, ratings, storefront, risk, policy, clock),
        quotes=QuoteCommands(uow, quote_bases, routes, quotes, signer, rates, risk, policy.quotes, clock),
        reviews=ReviewCommands(uow, reviews, orders, ratings, storefront, policy.reviews, clock),
        subscriptions=(escrow_events(facts), logistics_events(facts, routes), disputes_events(facts)),
    )
