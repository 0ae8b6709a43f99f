"""Keeps every copy of a supplier's standing (badges, certifications, rating, on-time) true: the one on each
of its products (search) and the one on the supplier (the directory)."""

from __future__ import annotations

from services.catalog.domain.badges import compute_badges
from services.catalog.domain.listing import SupplierListingFields, standing, supplier_fields
from services.catalog.domain.metrics import SupplierMetrics
from services.catalog.domain.policy import CatalogPolicy
from services.catalog.domain.supplier import Supplier
from services.catalog.handlers.ports import Metrics, Products, Ratings, Suppliers
from shared.clock import Clock
from shared.contracts.catalog import ReviewTarget, TargetKind
from shared.mongo import Session


def store_of(supplier_id: str) -> ReviewTarget:
    return ReviewTarget(kind=TargetKind.STORE, id=supplier_id)


class Storefront:
    def __init__(
        self,
        suppliers: Suppliers,
        products: Products,
        metrics: Metrics,
        ratings: Ratings,
        policy: CatalogPolicy,
        clock: Clock,
    ) -> None:
        self._suppliers = suppliers
        self._products = products
        self._metrics = metrics
        self._ratings = ratings
        self._policy = policy
        self._clock = clock

    async def fields(
        self, supplier: Supplier, *, session: Session | None = None, metrics: SupplierMetrics | None = None
    ) -> SupplierListingFields:
        now = self._clock.now()
        report = compute_badges(supplier, self._policy.badges, now)
        if metrics is None:
            metrics = await self._metrics.metrics(supplier.id, session=session)
        store = await self._ratings.get(store_of(supplier.id), session=session)
        return supplier_fields(standing(supplier, report, metrics, store, now), self._policy.ranking)

    async def restate(
        self, supplier_id: str, *, session: Session, metrics: SupplierMetrics | None = None
    ) -> None:
        """Run in the transaction of whatever changed the standing, so search never sees it half-done.

        `metrics`: the supplier's metrics as the caller has just saved them, so they are not read back."""
        loaded = await self._suppliers.get(supplier_id, session=session)
        if loaded is not None:  # metrics may arrive for a supplier that has not registered a profile
            fields = await self.fields(loaded.value, session=session, metrics=metrics)
            await self._products.restate_supplier(fields, session=session)
            await self._suppliers.restate(fields, session=session)  # the directory's copy
