"""The catalog's handlers over in-memory stores, bootstrapped as app.py bootstraps them over MongoDB.

Product search (keywords, tag filters, facets, keyset pages) stays MongoDB-only: faking it would mean
re-implementing the aggregation pipeline, so it is proven against SecantusDB in tests/integration/catalog.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from services.catalog.adapters.exchange_rates import SandboxExchangeRates
from services.catalog.adapters.products import ProductRecord
from services.catalog.bootstrap import Catalog, bootstrap
from services.catalog.domain.policy import CatalogPolicy
from services.catalog.domain.supplier import Supplier
from shared.clock import ManualClock
from shared.contracts.catalog import Quote
from shared.messaging.envelope import Event
from shared.unit_of_work import Transaction

from .catalog_stores import (
    InMemoryCompletedOrders,
    InMemoryMetrics,
    InMemoryProducts,
    InMemoryQuoteBases,
    InMemoryQuotes,
    InMemoryRatings,
    InMemoryReviews,
    InMemoryRoutes,
    InMemorySuppliers,
)
from .unit_of_work import FakeUnitOfWork

E = TypeVar("E", bound=Event)


class FakeQuoteSigner:
    """Stands in for the JWS signer: escrow's verification of it is proven in integration tests."""

    def sign(self, quote: Quote) -> str:
        return f"signed:{quote.id}"


@dataclass
class FakeCatalog:
    """The catalog's handlers bootstrapped over in-memory stores, with its badge timer swept by hand."""

    clock: ManualClock
    policy: CatalogPolicy = field(default_factory=CatalogPolicy)
    max_comparables: int = 5_000
    suppliers: InMemorySuppliers = field(default_factory=InMemorySuppliers)
    products: InMemoryProducts = field(default_factory=InMemoryProducts)
    metrics: InMemoryMetrics = field(default_factory=InMemoryMetrics)
    reviews: InMemoryReviews = field(default_factory=InMemoryReviews)
    ratings: InMemoryRatings = field(default_factory=InMemoryRatings)
    orders: InMemoryCompletedOrders = field(default_factory=InMemoryCompletedOrders)
    routes: InMemoryRoutes = field(default_factory=InMemoryRoutes)
    quotes: InMemoryQuotes = field(default_factory=InMemoryQuotes)

    def __post_init__(self) -> None:
        # The sandbox provider is already in memory: the handlers see the rates the stack publishes.
        self.rates = SandboxExchangeRates(self.clock)
        self.uow = FakeUnitOfWork(
            self.suppliers,
            self.products,
            self.metrics,
            self.reviews,
            self.ratings,
            self.orders,
            self.routes,
            self.quotes,
        )
        self.catalog: Catalog = bootstrap(
            uow=self.uow,
            suppliers=self.suppliers,
            products=self.products,
            metrics=self.metrics,
            reviews=self.reviews,
            ratings=self.ratings,
            orders=self.orders,
            routes=self.routes,
            quotes=self.quotes,
            quote_bases=InMemoryQuoteBases(self.products, self.suppliers, self.metrics),
            signer=FakeQuoteSigner(),
            rates=self.rates,
            policy=self.policy,
            clock=self.clock,
            max_comparables=self.max_comparables,
        )

    async def deliver(self, event: Event) -> None:
        """One consumer delivery of another service's event, in a unit of work of its own."""
        await self.uow.deliver(self.catalog.subscriptions, event, occurred_at=self.clock.now())

    def published(self, event_type: type[E]) -> list[E]:
        return [event for event in self.uow.published if isinstance(event, event_type)]

    async def supplier(self, supplier_id: str) -> Supplier:
        stored = await self.suppliers.get(supplier_id)
        if stored is None:
            raise LookupError(f"no supplier {supplier_id}")
        return stored.value

    async def product(self, product_id: str) -> ProductRecord:
        """A stored product: its terms, its copy of the supplier's standing, its completed orders."""
        record = await self.products.get(product_id)
        if record is None:
            raise LookupError(f"no product {product_id}")
        return record

    async def sweep_timers(self) -> None:
        """What the badge timer does when the clock has moved: fire every due supplier, each in its own
        change that also clears the due date it fired (the handler sets the next one)."""
        now = self.clock.now()
        for supplier_id in self.suppliers.due(now):
            await self.uow.run(functools.partial(self._badges_due, supplier_id, now))

    async def _badges_due(self, supplier_id: str, now: datetime, tx: Transaction) -> None:
        self.suppliers.clear_due(supplier_id)
        await self.catalog.suppliers.on_badges_due(tx, supplier_id, now)
