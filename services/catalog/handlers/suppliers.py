"""Supplier commands: register, edit the own profile, record verification facts, lapse badges on time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.catalog.domain.badges import BadgeReport, compute_badges
from services.catalog.domain.errors import UnknownSupplierError
from services.catalog.domain.metrics import SupplierMetrics
from services.catalog.domain.patches import patched
from services.catalog.domain.policy import CatalogPolicy
from services.catalog.domain.ratings import RatingAggregate
from services.catalog.domain.supplier import (
    Supplier,
    SupplierProfile,
    ensure_owner,
    register_supplier,
    update_profile,
)
from services.catalog.domain.vetting import SupplierChange, refresh_badges
from services.catalog.handlers.ports import Metrics, Ratings, Suppliers
from services.catalog.handlers.risk import RiskAssessor
from services.catalog.handlers.storefront import Storefront, store_of
from shared.clock import Clock
from shared.contracts.catalog import RiskSignal
from shared.mongo import Document, Session
from shared.store import Versioned
from shared.unit_of_work import Transaction, UnitOfWork

# A recorded fact, as a domain decision: the supplier and the moment in, the re-evaluated supplier out.
Decision = Callable[[Supplier, datetime], SupplierChange]


@dataclass(frozen=True)
class SupplierDetails:
    supplier: Supplier
    report: BadgeReport
    metrics: SupplierMetrics
    store_rating: RatingAggregate
    risk_signals: tuple[RiskSignal, ...]


class SupplierCommands:
    def __init__(
        self,
        uow: UnitOfWork,
        suppliers: Suppliers,
        metrics: Metrics,
        ratings: Ratings,
        storefront: Storefront,
        risk: RiskAssessor,
        policy: CatalogPolicy,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._suppliers = suppliers
        self._metrics = metrics
        self._ratings = ratings
        self._storefront = storefront
        self._risk = risk
        self._policy = policy
        self._clock = clock

    async def register(self, supplier_id: str, profile: SupplierProfile) -> Supplier:
        """The supplier registers itself: its id is the token's subject."""
        supplier = register_supplier(supplier_id, profile, self._clock.now())

        async def work(tx: Transaction) -> Supplier:
            await self._suppliers.add(supplier, None, session=tx.session)
            await self._storefront.restate(supplier_id, session=tx.session)  # listed in the directory at once
            return supplier

        return await self._uow.run(work)

    async def update_profile(self, supplier_id: str, actor_id: str, changes: Document) -> Supplier:
        async def work(tx: Transaction) -> Supplier:
            loaded = await self._load(supplier_id, tx.session)
            ensure_owner(loaded.value.id, actor_id)  # before judging the changes: they are not theirs to make
            updated = update_profile(loaded.value, patched(loaded.value.profile, changes), actor_id)
            due = compute_badges(updated, self._policy.badges, self._clock.now()).next_change_at
            await self._suppliers.save(
                updated, expected_version=loaded.version, badges_due_at=due, session=tx.session
            )
            await self._storefront.restate(supplier_id, session=tx.session)  # the country is a search filter
            return updated

        return await self._uow.run(work)

    async def record(self, supplier_id: str, decide: Decision) -> SupplierChange:
        """Record a verification fact (ops): re-evaluate badges, reschedule the timer, announce changes."""

        async def work(tx: Transaction) -> SupplierChange:
            loaded = await self._load(supplier_id, tx.session)
            change = decide(loaded.value, self._clock.now())
            await self._apply(tx, change, loaded.version)
            return change

        return await self._uow.run(work)

    async def on_badges_due(self, tx: Transaction, supplier_id: str, now: datetime) -> None:
        """Badge timer: a membership, audit or certification boundary was reached."""
        loaded = await self._load(supplier_id, tx.session)
        await self._apply(tx, refresh_badges(loaded.value, self._policy.badges, now), loaded.version)

    async def _apply(self, tx: Transaction, change: SupplierChange, version: int) -> None:
        due = change.report.next_change_at
        await self._suppliers.save(
            change.supplier, expected_version=version, badges_due_at=due, session=tx.session
        )
        await tx.emit_all(change.events)
        # Certifications lapse without changing a badge, so the copy on products is rewritten every time.
        await self._storefront.restate(change.supplier.id, session=tx.session)

    async def details(self, supplier_id: str) -> SupplierDetails:
        loaded = await self._suppliers.get(supplier_id)
        if loaded is None:
            raise UnknownSupplierError(f"supplier {supplier_id} not found")
        supplier, now = loaded.value, self._clock.now()
        return SupplierDetails(
            supplier=supplier,
            report=compute_badges(supplier, self._policy.badges, now),
            metrics=await self._metrics.metrics(supplier_id),
            store_rating=await self._ratings.get(store_of(supplier_id)),
            risk_signals=await self._risk.of_supplier(supplier, now),
        )

    async def registered(self, supplier_id: str) -> Supplier:
        """The supplier; `UnknownSupplierError` (404) when none registered under this id."""
        return (await self._load(supplier_id, None)).value

    async def _load(self, supplier_id: str, session: Session | None) -> Versioned[Supplier]:
        loaded = await self._suppliers.get(supplier_id, session=session)
        if loaded is None:
            raise UnknownSupplierError(f"supplier {supplier_id} not found")
        return loaded
