"""What a quote is priced and flagged from, read in one round trip: the product, its supplier and the
supplier's metrics, joined by `$lookup` on their `_id`s where three reads cost three round trips."""

from __future__ import annotations

from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase

from services.catalog.adapters.metrics import SUPPLIER_METRICS, supplier_metrics
from services.catalog.adapters.products import PRODUCTS, ProductRecord, ProductRepository
from services.catalog.adapters.suppliers import SUPPLIERS, SupplierRepository
from services.catalog.domain.metrics import SupplierMetrics
from services.catalog.domain.supplier import Supplier
from shared.mongo import Document

_SUPPLIER_ID = "product.supplier_id"


@dataclass(frozen=True)
class QuoteBasis:
    record: ProductRecord
    supplier: Supplier
    metrics: SupplierMetrics


class QuoteBasisReader:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._products = db[PRODUCTS]
        self._product_records = ProductRepository(db)
        self._suppliers = SupplierRepository(db)

    async def of_product(self, product_id: str) -> QuoteBasis | None:
        """None: no such product, or (never in a consistent catalog) no supplier of it."""
        pipeline: list[Document] = [
            {"$match": {"_id": product_id}},
            {"$limit": 1},
            _joined(SUPPLIERS, "supplier_document"),
            _joined(SUPPLIER_METRICS, "metrics_document"),
        ]
        found = await (await self._products.aggregate(pipeline)).to_list()
        if not found or not found[0]["supplier_document"]:
            return None
        document = found[0]
        record = self._product_records.record(document)
        metrics = document["metrics_document"]
        return QuoteBasis(
            record=record,
            supplier=self._suppliers.load(document["supplier_document"][0]).value,
            metrics=supplier_metrics(record.product.supplier_id, metrics[0] if metrics else None),
        )


def _joined(collection: str, into: str) -> Document:
    """The supplier's document of `collection` (keyed by supplier id) as a one-element array `into`."""
    return {"$lookup": {"from": collection, "localField": _SUPPLIER_ID, "foreignField": "_id", "as": into}}
