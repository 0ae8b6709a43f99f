"""Red flags of a listing or a quote: its price against comparable listings, and who sells it."""

from __future__ import annotations

from datetime import datetime

from services.catalog.adapters.products import PriceScope
from services.catalog.domain.metrics import SupplierMetrics
from services.catalog.domain.policy import RedFlagPolicy
from services.catalog.domain.product import Product
from services.catalog.domain.red_flags import Comparables, listing_signals, quantity_band, supplier_signals
from services.catalog.domain.supplier import Supplier
from services.catalog.handlers.ports import Metrics, Products
from shared.contracts.catalog import RiskSignal
from shared.money import Money


class RiskAssessor:
    def __init__(
        self,
        products: Products,
        metrics: Metrics,
        policy: RedFlagPolicy,
        *,
        max_comparables: int,
    ) -> None:
        self._products = products
        self._metrics = metrics
        self._policy = policy
        self._max = max_comparables

    async def comparables(self, product: Product, quantity: int) -> Comparables:
        """Same category and quantity band; the parent category only when the category has too few."""
        band = quantity_band(quantity, self._policy)

        def scope(category: str, exact: bool) -> PriceScope:
            return PriceScope(category, exact, product.currency, band, excluding=product.id)

        parent = product.parent_category_id
        # The parent category's listings (its own and its sub-categories') are read with the category's, in
        # the same round trip, though only used when the category has too few.
        scopes = [scope(product.category_id, exact=True), *([scope(parent, exact=False)] if parent else [])]
        same, *wider = await self._products.band_prices(scopes, limit=self._max)
        if len(same) >= self._policy.min_comparables or not wider:
            return Comparables(category=same)
        return Comparables(category=same, parent_category=wider[0])

    async def of_listing(
        self,
        product: Product,
        supplier: Supplier,
        unit_price: Money,
        quantity: int,
        now: datetime,
        *,
        metrics: SupplierMetrics | None = None,
    ) -> tuple[RiskSignal, ...]:
        """`metrics`: the supplier's, when the caller read them with it (else they are read here)."""
        comparables = await self.comparables(product, quantity)
        if metrics is None:
            metrics = await self._metrics.metrics(supplier.id)
        return listing_signals(unit_price, comparables, supplier, metrics, self._policy, now)

    async def of_supplier(
        self, supplier: Supplier, now: datetime, *, metrics: SupplierMetrics | None = None
    ) -> tuple[RiskSignal, ...]:
        if metrics is None:
            metrics = await self._metrics.metrics(supplier.id)
        return tuple(supplier_signals(supplier, metrics, self._policy, now))
