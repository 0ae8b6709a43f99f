"""Supplier metrics and the per-order facts already counted (what makes counting idempotent)."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from services.catalog.domain.metrics import OrderRecord, SupplierMetrics
from shared.mongo import Document, Session
from shared.store import from_document, to_document

ORDER_RECORDS = "order_records"
SUPPLIER_METRICS = "supplier_metrics"


class MetricsRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._records = db[ORDER_RECORDS]
        self._metrics = db[SUPPLIER_METRICS]

    async def record(self, order_id: str, supplier_id: str, *, session: Session) -> OrderRecord:
        document = await self._records.find_one({"_id": order_id}, session=session)
        if document is None:
            return OrderRecord(order_id=order_id, supplier_id=supplier_id)
        return from_document(OrderRecord, document["record"])

    async def metrics(self, supplier_id: str, *, session: Session | None = None) -> SupplierMetrics:
        document = await self._metrics.find_one({"_id": supplier_id}, session=session)
        if document is None:
            return SupplierMetrics(supplier_id=supplier_id)
        return from_document(SupplierMetrics, document["metrics"])

    async def save(self, record: OrderRecord, metrics: SupplierMetrics, *, session: Session) -> None:
        # Both documents change in the caller's transaction, so a fact is counted exactly when it is recorded.
        await self._records.update_one(
            {"_id": record.order_id}, {"$set": {"record": to_document(record)}}, upsert=True, session=session
        )
        await self._metrics.update_one(
            {"_id": metrics.supplier_id},
            {"$set": {"metrics": to_document(metrics)}},
            upsert=True,
            session=session,
        )
