"""The catalog's stores in memory, with the same guarantees the MongoDB adapters give the handlers:
guarded saves raise the adapters' conflict error, unique keys refuse duplicates with the adapters' error."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from services.catalog.adapters.products import PriceScope, ProductRecord
from services.catalog.domain.errors import AlreadyReviewedError, SupplierAlreadyRegisteredError
from services.catalog.domain.listing import ProductListingFields, SupplierListingFields, Tag
from services.catalog.domain.metrics import OrderRecord, SupplierMetrics
from services.catalog.domain.product import Product
from services.catalog.domain.ratings import RatingAggregate
from services.catalog.domain.reviews import CompletedOrder, Review
from services.catalog.domain.shipping import GuaranteedRoute
from services.catalog.domain.supplier import Supplier
from shared.contracts.catalog import Quote, ReviewTarget
from shared.errors import Conflict
from shared.money import Money
from shared.mongo import Session
from shared.store import Versioned


def _changed_meanwhile(collection: str, document_id: str, expected_version: int) -> Conflict:
    """What the store's guarded save raises when the stored version is no longer the one read."""
    return Conflict(f"{collection} {document_id} changed since version {expected_version}")


def _duplicate(collection: str, document_id: str) -> DuplicateKeyError:
    return DuplicateKeyError(f"E11000 duplicate key error collection: {collection} _id: {document_id}", 11000)


class InMemorySuppliers:
    """Suppliers with their badge timer's due date, which `FakeCatalog.sweep_timers` scans."""

    def __init__(self) -> None:
        self._suppliers: dict[str, tuple[Versioned[Supplier], datetime | None]] = {}

    async def get(self, supplier_id: str, *, session: Session | None = None) -> Versioned[Supplier] | None:
        stored = self._suppliers.get(supplier_id)
        return stored[0] if stored else None

    async def add(self, supplier: Supplier, badges_due_at: datetime | None, *, session: Session) -> None:
        if supplier.id in self._suppliers:
            raise SupplierAlreadyRegisteredError(f"supplier {supplier.id} is already registered")
        self._suppliers[supplier.id] = (Versioned(supplier, 1), badges_due_at)

    async def save(
        self, supplier: Supplier, *, expected_version: int, badges_due_at: datetime | None, session: Session
    ) -> None:
        stored = self._suppliers.get(supplier.id)
        if stored is None or stored[0].version != expected_version:
            raise _changed_meanwhile("suppliers", supplier.id, expected_version)
        self._suppliers[supplier.id] = (Versioned(supplier, expected_version + 1), badges_due_at)

    def due(self, now: datetime) -> list[str]:
        """The suppliers whose badges may change by `now`, earliest first (the timer's index order)."""
        due = [(at, key) for key, (_, at) in self._suppliers.items() if at is not None and at <= now]
        return [key for _, key in sorted(due)]

    def clear_due(self, supplier_id: str) -> None:
        """What the timer does before it fires: the due date is cleared in the firing change."""
        versioned, _ = self._suppliers[supplier_id]
        self._suppliers[supplier_id] = (versioned, None)

    def snapshot(self) -> Any:
        return dict(self._suppliers)

    def restore(self, state: Any) -> None:
        self._suppliers = state


@dataclass(frozen=True)
class _StoredProduct:
    product: Product
    version: int
    listing: ProductListingFields
    supplier: SupplierListingFields
    orders: int = 0


class InMemoryProducts:
    def __init__(self) -> None:
        self._products: dict[str, _StoredProduct] = {}

    async def get(self, product_id: str, *, session: Session | None = None) -> ProductRecord | None:
        stored = self._products.get(product_id)
        if stored is None:
            return None
        return ProductRecord(
            product=stored.product,
            version=stored.version,
            supplier=stored.supplier.supplier,
            orders=stored.orders,
        )

    async def add(
        self,
        product: Product,
        listing: ProductListingFields,
        supplier: SupplierListingFields,
        *,
        session: Session,
    ) -> None:
        if product.id in self._products:
            raise _duplicate("products", product.id)
        self._products[product.id] = _StoredProduct(product, 1, listing, supplier)

    async def save(
        self, product: Product, listing: ProductListingFields, *, expected_version: int, session: Session
    ) -> None:
        stored = self._products.get(product.id)
        if stored is None or stored.version != expected_version:
            raise _changed_meanwhile("products", product.id, expected_version)
        self._products[product.id] = replace(
            stored, product=product, version=expected_version + 1, listing=listing
        )

    async def restate_supplier(self, fields: SupplierListingFields, *, session: Session) -> int:
        mine = [
            key
            for key, stored in self._products.items()
            if stored.listing.supplier_id == fields.supplier.supplier_id and stored.supplier != fields
        ]
        for key in mine:
            self._products[key] = replace(self._products[key], supplier=fields)
        return len(mine)

    async def count_completed_order(self, product_id: str, *, session: Session) -> None:
        stored = self._products.get(product_id)
        if stored is not None:
            self._products[product_id] = replace(stored, orders=stored.orders + 1)

    async def band_prices(self, scope: PriceScope, *, limit: int) -> tuple[Money, ...]:
        band = str(scope.band)
        prices = [
            Money(amount=stored.listing.band_prices[band], currency=scope.currency)
            for stored in self._products.values()
            if Tag.CATEGORY + scope.category in stored.listing.product_tags
            and (not scope.exact or stored.listing.category_id == scope.category)
            and stored.listing.currency == scope.currency
            and band in stored.listing.band_prices
            and stored.product.id != scope.excluding
        ]
        return tuple(prices[:limit])

    def snapshot(self) -> Any:
        return dict(self._products)

    def restore(self, state: Any) -> None:
        self._products = state


class InMemoryMetrics:
    def __init__(self) -> None:
        self._records: dict[str, OrderRecord] = {}
        self._metrics: dict[str, SupplierMetrics] = {}

    async def record(self, order_id: str, supplier_id: str, *, session: Session) -> OrderRecord:
        return self._records.get(order_id) or OrderRecord(order_id=order_id, supplier_id=supplier_id)

    async def metrics(self, supplier_id: str, *, session: Session | None = None) -> SupplierMetrics:
        return self._metrics.get(supplier_id) or SupplierMetrics(supplier_id=supplier_id)

    async def save(self, record: OrderRecord, metrics: SupplierMetrics, *, session: Session) -> None:
        self._records[record.order_id] = record
        self._metrics[metrics.supplier_id] = metrics

    def snapshot(self) -> Any:
        return dict(self._records), dict(self._metrics)

    def restore(self, state: Any) -> None:
        self._records, self._metrics = state


class InMemoryReviews:
    """One review per order and target, like the unique index `once_per_order_and_target`."""

    def __init__(self) -> None:
        self._reviews: dict[str, Versioned[Review]] = {}

    async def get(self, review_id: str, *, session: Session | None = None) -> Versioned[Review] | None:
        return self._reviews.get(review_id)

    async def exists(self, order_id: str, target: ReviewTarget, *, session: Session) -> bool:
        return any(
            stored.value.order_id == order_id and stored.value.target == target
            for stored in self._reviews.values()
        )

    async def add(self, review: Review, *, session: Session) -> None:
        if review.id in self._reviews or await self.exists(review.order_id, review.target, session=session):
            raise AlreadyReviewedError(f"order {review.order_id} already has this review")
        self._reviews[review.id] = Versioned(review, 1)

    async def save(self, review: Review, *, expected_version: int, session: Session) -> None:
        stored = self._reviews.get(review.id)
        if stored is None or stored.version != expected_version:
            raise _changed_meanwhile("reviews", review.id, expected_version)
        self._reviews[review.id] = Versioned(review, expected_version + 1)

    async def of_target(self, target: ReviewTarget, limit: int) -> list[Review]:
        mine = [stored.value for stored in self._reviews.values() if stored.value.target == target]
        return sorted(mine, key=lambda review: review.published_at, reverse=True)[:limit]

    def snapshot(self) -> Any:
        return dict(self._reviews)

    def restore(self, state: Any) -> None:
        self._reviews = state


class InMemoryCompletedOrders:
    def __init__(self) -> None:
        self._orders: dict[str, CompletedOrder] = {}

    async def get(self, order_id: str, *, session: Session) -> CompletedOrder | None:
        return self._orders.get(order_id)

    async def record(self, order: CompletedOrder, *, session: Session) -> None:
        """The first completion names the order; later ones only add products (`$addToSet`)."""
        known = self._orders.get(order.order_id, order)
        products = tuple(dict.fromkeys((*known.product_ids, *order.product_ids)))
        self._orders[order.order_id] = known.model_copy(update={"product_ids": products})

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
