"""The catalog's stores in memory, with the same guarantees the MongoDB adapters give the handlers:
guarded saves raise `Conflict` (InMemoryStore, like VersionedStore), unique keys refuse duplicates with the
adapters' errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from services.catalog.adapters.products import PriceScope, ProductRecord
from services.catalog.adapters.quote_basis import QuoteBasis
from services.catalog.domain.errors import AlreadyReviewedError, SupplierAlreadyRegisteredError
from services.catalog.domain.listing import ProductListingFields, SupplierListingFields, Tag
from services.catalog.domain.metrics import Count, OrderFact, OrderRecord, SupplierMetrics
from services.catalog.domain.product import Product
from services.catalog.domain.ratings import RatingAggregate
from services.catalog.domain.reviews import CompletedOrder, Review
from services.catalog.domain.shipping import GuaranteedRoute
from services.catalog.domain.supplier import Supplier
from shared.contracts.catalog import Quote, ReviewTarget
from shared.money import Money
from shared.mongo import Session
from shared.store import Versioned

from .store import InMemoryStore


def _duplicate(collection: str, document_id: str) -> DuplicateKeyError:
    """What MongoDB's unique `_id` raises for a second insert."""
    return DuplicateKeyError(f"E11000 duplicate key error collection: {collection} _id: {document_id}", 11000)


class InMemorySuppliers:
    """Suppliers in a versioned store, beside their badge timer's due date (`FakeCatalog.sweep_timers`)."""

    def __init__(self) -> None:
        self._suppliers = InMemoryStore[Supplier]("id")
        self._due: dict[str, datetime | None] = {}
        self.standings: dict[str, SupplierListingFields] = {}

    async def get(self, supplier_id: str, *, session: Session | None = None) -> Versioned[Supplier] | None:
        return await self._suppliers.get(supplier_id)

    async def add(self, supplier: Supplier, badges_due_at: datetime | None, *, session: Session) -> None:
        if await self._suppliers.get(supplier.id) is not None:
            raise SupplierAlreadyRegisteredError(f"supplier {supplier.id} is already registered")
        await self._suppliers.insert(supplier, session=session)
        self._due[supplier.id] = badges_due_at

    async def save(
        self, supplier: Supplier, *, expected_version: int, badges_due_at: datetime | None, session: Session
    ) -> None:
        await self._suppliers.save(supplier, expected_version=expected_version, session=session)
        self._due[supplier.id] = badges_due_at

    async def restate(self, fields: SupplierListingFields, *, session: Session) -> None:
        self.standings[fields.supplier.supplier_id] = fields

    def due(self, now: datetime) -> list[str]:
        """The suppliers whose badges may change by `now`, earliest first (the timer's index order)."""
        return [key for at, key in sorted((at, key) for key, at in self._due.items() if at and at <= now)]

    def clear_due(self, supplier_id: str) -> None:
        """What the timer does before it fires: the due date is cleared in the firing change."""
        self._due[supplier_id] = None

    def snapshot(self) -> Any:
        return self._suppliers.snapshot(), dict(self._due), dict(self.standings)

    def restore(self, state: Any) -> None:
        stored, self._due, self.standings = state
        self._suppliers.restore(stored)


@dataclass(frozen=True)
class _Listing:
    """What a product document keeps beside the product: search fields, supplier standing, orders."""

    fields: ProductListingFields
    supplier: SupplierListingFields
    orders: int = 0


class InMemoryProducts:
    def __init__(self) -> None:
        self._products = InMemoryStore[Product]("id")
        self._listings: dict[str, _Listing] = {}

    async def get(self, product_id: str, *, session: Session | None = None) -> ProductRecord | None:
        stored = await self._products.get(product_id)
        if stored is None:
            return None
        listing = self._listings[product_id]
        return ProductRecord(
            product=stored.value,
            version=stored.version,
            supplier=listing.supplier.supplier,
            orders=listing.orders,
        )

    async def add(
        self,
        product: Product,
        listing: ProductListingFields,
        supplier: SupplierListingFields,
        *,
        session: Session,
    ) -> None:
        if product.id in self._listings:
            raise _duplicate("products", product.id)
        await self._products.insert(product, session=session)
        self._listings[product.id] = _Listing(listing, supplier)

    async def save(
        self, product: Product, listing: ProductListingFields, *, expected_version: int, session: Session
    ) -> None:
        await self._products.save(product, expected_version=expected_version, session=session)
        self._listings[product.id] = replace(self._listings[product.id], fields=listing)

    async def restate_supplier(self, fields: SupplierListingFields, *, session: Session) -> int:
        """No version bump, like the adapter's `update_many`; counts the products it changed."""
        mine = [
            key
            for key, listing in self._listings.items()
            if listing.fields.supplier_id == fields.supplier.supplier_id and listing.supplier != fields
        ]
        for key in mine:
            self._listings[key] = replace(self._listings[key], supplier=fields)
        return len(mine)

    async def count_completed_order(self, product_id: str, *, session: Session) -> None:
        listing = self._listings.get(product_id)
        if listing is not None:
            self._listings[product_id] = replace(listing, orders=listing.orders + 1)

    async def band_prices(self, scopes: Sequence[PriceScope], *, limit: int) -> list[tuple[Money, ...]]:
        return [self._band_prices(scope, limit=limit) for scope in scopes]

    def _band_prices(self, scope: PriceScope, *, limit: int) -> tuple[Money, ...]:
        band = str(scope.band)
        prices = [
            Money(amount=listing.fields.band_prices[band], currency=scope.currency)
            for key, listing in self._listings.items()
            if Tag.CATEGORY + scope.category in listing.fields.product_tags
            and (not scope.exact or listing.fields.category_id == scope.category)
            and listing.fields.currency == scope.currency
            and band in listing.fields.band_prices
            and key != scope.excluding
        ]
        return tuple(prices[:limit])

    def snapshot(self) -> Any:
        return self._products.snapshot(), dict(self._listings)

    def restore(self, state: Any) -> None:
        stored, self._listings = state
        self._products.restore(stored)


class InMemoryMetrics:
    def __init__(self) -> None:
        self._records: dict[str, OrderRecord] = {}
        self._metrics: dict[str, SupplierMetrics] = {}

    async def note(
        self, order_id: str, supplier_id: str, fact: OrderFact, *, session: Session
    ) -> OrderRecord:
        before = self._records.get(order_id) or OrderRecord(order_id=order_id, supplier_id=supplier_id)
        self._records[order_id] = before.noting(fact)
        return before

    async def metrics(self, supplier_id: str, *, session: Session | None = None) -> SupplierMetrics:
        return self._metrics.get(supplier_id) or SupplierMetrics(supplier_id=supplier_id)

    async def add(self, count: Count, *, session: Session) -> SupplierMetrics:
        before = await self.metrics(count.supplier_id)
        self._metrics[count.supplier_id] = before.plus(count)
        return before

    def snapshot(self) -> Any:
        return dict(self._records), dict(self._metrics)

    def restore(self, state: Any) -> None:
        self._records, self._metrics = state


class InMemoryReviews(InMemoryStore[Review]):
    """One review per order and target, like the unique index `once_per_order_and_target`."""

    def __init__(self) -> None:
        super().__init__("id")

    async def exists(self, order_id: str, target: ReviewTarget, *, session: Session) -> bool:
        return bool(self.where(lambda review: (review.order_id, review.target) == (order_id, target)))

    async def add(self, review: Review, *, session: Session) -> None:
        if await self.get(review.id) or await self.exists(review.order_id, review.target, session=session):
            raise AlreadyReviewedError(f"order {review.order_id} already has this review")
        await self.insert(review, session=session)

    async def of_target(self, target: ReviewTarget, limit: int) -> list[Review]:
        mine = [stored.value for stored in self.where(lambda review: review.target == target)]
        return sorted(mine, key=lambda review: review.published_at, reverse=True)[:limit]


class InMemoryCompletedOrders:
    def __init__(self) -> None:
        self._orders: dict[str, CompletedOrder] = {}

    async def get(self, order_id: str, *, session: Session) -> CompletedOrder | None:
        return self._orders.get(order_id)

    async def record(self, order: CompletedOrder, *, session: Session) -> CompletedOrder | None:
        """The first completion names the order; later ones only add products (`$addToSet`)."""
        before = self._orders.get(order.order_id)
        known = before or order
        products = tuple(dict.fromkeys((*known.product_ids, *order.product_ids)))
        self._orders[order.order_id] = known.model_copy(update={"product_ids": products})
        return before

    def snapshot(self) -> Any:
        return dict(self._orders)

    def restore(self, state: Any) -> None:
        self._orders = state


class InMemoryRatings:
    def __init__(self) -> None:
        self._ratings: dict[ReviewTarget, RatingAggregate] = {}

    async def get(self, target: ReviewTarget, *, session: Session | None = None) -> RatingAggregate:
        return self._ratings.get(target) or RatingAggregate()

    async def put(self, target: ReviewTarget, aggregate: RatingAggregate, *, session: Session) -> None:
        self._ratings[target] = aggregate

    def snapshot(self) -> Any:
        return dict(self._ratings)

    def restore(self, state: Any) -> None:
        self._ratings = state


class InMemoryRoutes:
    def __init__(self) -> None:
        self._routes: dict[str, tuple[GuaranteedRoute, datetime]] = {}

    async def upsert(self, route: GuaranteedRoute, announced_at: datetime, *, session: Session) -> bool:
        current = self._routes.get(route.route_id)
        if current is not None and current[1] > announced_at:
            return False
        self._routes[route.route_id] = (route, announced_at)
        return True

    async def lane(self, origin: str, destination: str) -> list[GuaranteedRoute]:
        return [
            route
            for route, _ in self._routes.values()
            if route.origin == origin and route.destination == destination
        ]

    def snapshot(self) -> Any:
        return dict(self._routes)

    def restore(self, state: Any) -> None:
        self._routes = state


class InMemoryQuotes:
    def __init__(self) -> None:
        self.issued: dict[str, tuple[Quote, str]] = {}

    async def add(self, quote: Quote, token: str, *, session: Session) -> None:
        if quote.id in self.issued:
            raise _duplicate("quotes", quote.id)
        self.issued[quote.id] = (quote, token)

    def snapshot(self) -> Any:
        return dict(self.issued)

    def restore(self, state: Any) -> None:
        self.issued = state


class InMemoryQuoteBases:
    """The three reads the MongoDB adapter joins into one."""

    def __init__(self, products: InMemoryProducts, suppliers: InMemorySuppliers, metrics: InMemoryMetrics):
        self._products = products
        self._suppliers = suppliers
        self._metrics = metrics

    async def of_product(self, product_id: str) -> QuoteBasis | None:
        record = await self._products.get(product_id)
        supplier = await self._suppliers.get(record.product.supplier_id) if record else None
        if record is None or supplier is None:
            return None
        return QuoteBasis(record, supplier.value, await self._metrics.metrics(supplier.value.id))
