"""Supplier metrics and the per-order facts already counted (what makes counting idempotent)."""

from __future__ import annotations

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from services.catalog.domain.metrics import Count, OrderFact, OrderRecord, SupplierMetrics
from shared.mongo import Document, Session
from shared.store import from_document

ORDER_RECORDS = "order_records"
SUPPLIER_METRICS = "supplier_metrics"


class MetricsRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._records = db[ORDER_RECORDS]
        self._metrics = db[SUPPLIER_METRICS]

    async def note(
        self, order_id: str, supplier_id: str, fact: OrderFact, *, session: Session
    ) -> OrderRecord:
        # One round trip: the record as it was before tells whether the fact counts (`counted`).
        before = await self._records.find_one_and_update(
            {"_id": order_id},
            {
                "$addToSet": {"record.facts": fact.value},
                "$setOnInsert": {"record.order_id": order_id, "record.supplier_id": supplier_id},
            },
            upsert=True,
            return_document=ReturnDocument.BEFORE,
            session=session,
        )
        if before is None:
            return OrderRecord(order_id=order_id, supplier_id=supplier_id)
        return from_document(OrderRecord, before["record"])

    async def metrics(self, supplier_id: str, *, session: Session | None = None) -> SupplierMetrics:
        document = await self._metrics.find_one({"_id": supplier_id}, session=session)
        return supplier_metrics(supplier_id, document)

    async def add(self, count: Count, *, session: Session) -> SupplierMetrics:
        # Increments in one round trip, where reading the metrics and writing them back cost two.
        before = await self._metrics.find_one_and_update(
            {"_id": count.supplier_id},
            {
                "$inc": {"metrics.orders": int(count.new_order), f"metrics.counts.{count.fact.value}": 1},
                "$setOnInsert": {"metrics.supplier_id": count.supplier_id},
            },
            upsert=True,
            return_document=ReturnDocument.BEFORE,
            session=session,
        )
        if before is None:
            return SupplierMetrics(supplier_id=count.supplier_id)
        return from_document(SupplierMetrics, before["metrics"])


def supplier_metrics(supplier_id: str, document: Document | None) -> SupplierMetrics:
    """A supplier's metrics document as its metrics; none yet: a supplier with no order counted."""
    if document is None:
        return SupplierMetrics(supplier_id=supplier_id)
    return from_document(SupplierMetrics, document["metrics"])
