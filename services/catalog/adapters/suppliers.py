"""Suppliers: the aggregate's JSON, its version, and the next instant its badges can change (timer)."""

from __future__ import annotations

from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.catalog.adapters.documents import Versioned, dump, guarded_update
from services.catalog.domain.errors import SupplierAlreadyRegisteredError
from services.catalog.domain.supplier import Supplier
from shared.mongo import Document, Session, is_duplicate_key

SUPPLIERS = "suppliers"
BADGES_DUE = "badges_due_at"


def supplier_of(document: Document) -> Versioned[Supplier]:
    return Versioned(Supplier.model_validate(document["supplier"]), int(document["version"]))


class SupplierRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._suppliers = db[SUPPLIERS]

    async def get(self, supplier_id: str, *, session: Session | None = None) -> Versioned[Supplier] | None:
        document = await self._suppliers.find_one({"_id": supplier_id}, session=session)
        return supplier_of(document) if document else None

    async def add(self, supplier: Supplier, badges_due_at: datetime | None, *, session: Session) -> None:
        document = {"_id": supplier.id, "version": 1, BADGES_DUE: badges_due_at, "supplier": dump(supplier)}
        try:
            await self._suppliers.insert_one(document, session=session)
        except PyMongoError as error:
            if is_duplicate_key(error):
                raise SupplierAlreadyRegisteredError(
                    f"supplier {supplier.id} is already registered"
                ) from None
            raise

    async def save(
        self, supplier: Supplier, *, expected_version: int, badges_due_at: datetime | None, session: Session
    ) -> None:
        fields = {"supplier": dump(supplier), BADGES_DUE: badges_due_at}
        await guarded_update(self._suppliers, supplier.id, expected_version, fields, session=session)
