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
from shared.joins import find_joined, first_joined, joined
from shared.mongo import Document

_SUPPLIER_ID = "product.supplier_id"
_SUPPLIER, _METRICS = "supplier_document", "metrics_document"


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
        stages = [
            joined(SUPPLIERS, _SUPPLIER_ID, _SUPPLIER),
            joined(SUPPLIER_METRICS, _SUPPLIER_ID, _METRICS),
        ]
        document = await find_joined(self._products, product_id, stages)
        supplier = None if document is None else first_joined(document, _SUPPLIER)
        if document is None or supplier is None:
            return None
        record = self._product_records.record(document)
        return QuoteBasis(
            record=record,
            supplier=self._suppliers.load(supplier).value,
            metrics=supplier_metrics(record.product.supplier_id, first_joined(document, _METRICS)),
        )
