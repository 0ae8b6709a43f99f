"""What the catalog's handlers need from storage: MongoDB adapters in production, in-memory fakes in tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from services.catalog.adapters.products import PriceScope, ProductRecord
from services.catalog.adapters.quote_basis import QuoteBasis
from services.catalog.domain.listing import ProductListingFields, SupplierListingFields
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


class Suppliers(Protocol):
    """Each supplier once (a second registration raises), saved over the version it was read at."""

    async def get(
        self, supplier_id: str, *, session: Session | None = None
    ) -> Versioned[Supplier] | None: ...

    async def add(self, supplier: Supplier, badges_due_at: datetime | None, *, session: Session) -> None: ...

    async def save(
        self, supplier: Supplier, *, expected_version: int, badges_due_at: datetime | None, session: Session
    ) -> None: ...

    async def restate(self, fields: SupplierListingFields, *, session: Session) -> None: ...


class Products(Protocol):
    """Products with their search fields and a copy of their supplier's standing."""

    async def get(self, product_id: str, *, session: Session | None = None) -> ProductRecord | None: ...

    async def add(
        self,
        product: Product,
        listing: ProductListingFields,
        supplier: SupplierListingFields,
        *,
        session: Session,
    ) -> None: ...

    async def save(
        self, product: Product, listing: ProductListingFields, *, expected_version: int, session: Session
    ) -> None: ...

    async def restate_supplier(self, fields: SupplierListingFields, *, session: Session) -> int: ...

    async def count_completed_order(self, product_id: str, *, session: Session) -> None: ...

    async def band_prices(self, scopes: Sequence[PriceScope], *, limit: int) -> list[tuple[Money, ...]]:
        """The prices in each scope, in its order, up to `limit` each."""
        ...


class Metrics(Protocol):
    """Supplier metrics beside the facts observed per order, changed in one transaction."""

    async def note(
        self, order_id: str, supplier_id: str, fact: OrderFact, *, session: Session
    ) -> OrderRecord:
        """Add `fact` to the facts observed of the order; returns the record as it was before."""
        ...

    async def metrics(self, supplier_id: str, *, session: Session | None = None) -> SupplierMetrics: ...

    async def add(self, count: Count, *, session: Session) -> SupplierMetrics:
        """Add `count` to its supplier's metrics; returns them as they were before."""
        ...


class Reviews(Protocol):
    """One review per order and target (a second one raises), saved over the version it was read at."""

    async def get(self, review_id: str, *, session: Session | None = None) -> Versioned[Review] | None: ...

    async def exists(self, order_id: str, target: ReviewTarget, *, session: Session) -> bool: ...

    async def add(self, review: Review, *, session: Session) -> None: ...

    async def save(self, review: Review, *, expected_version: int, session: Session) -> None: ...

    async def of_target(self, target: ReviewTarget, limit: int) -> list[Review]: ...


class CompletedOrders(Protocol):
    async def get(self, order_id: str, *, session: Session) -> CompletedOrder | None: ...

    async def record(self, order: CompletedOrder, *, session: Session) -> CompletedOrder | None:
        """Adds the order's products to its record; returns the record as it was before (None: new)."""
        ...


class Ratings(Protocol):
    async def get(self, target: ReviewTarget, *, session: Session | None = None) -> RatingAggregate: ...

    async def put(self, target: ReviewTarget, aggregate: RatingAggregate, *, session: Session) -> None: ...


class Routes(Protocol):
    """The replica of logistics' Guaranteed routes."""

    async def upsert(self, route: GuaranteedRoute, announced_at: datetime, *, session: Session) -> bool: ...

    async def lane(self, origin: str, destination: str) -> list[GuaranteedRoute]: ...


class QuoteBases(Protocol):
    async def of_product(self, product_id: str) -> QuoteBasis | None:
        """The product, its supplier and the supplier's metrics, read together; None: no such product."""
        ...


class IssuedQuotes(Protocol):
    async def add(self, quote: Quote, token: str, *, session: Session) -> None: ...


class QuoteSigner(Protocol):
    def sign(self, quote: Quote) -> str: ...
