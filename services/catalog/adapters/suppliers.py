"""Suppliers: the aggregate's document, its version, and the next instant its badges can change (timer)."""

from __future__ import annotations

from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.catalog.domain.errors import SupplierAlreadyRegisteredError
from services.catalog.domain.supplier import Supplier
from shared.mongo import Document, Session, is_duplicate_key
from shared.store import Versioned, VersionedStore

SUPPLIERS = "suppliers"
BADGES_DUE = "badges_due_at"


class SupplierRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._suppliers = VersionedStore(db, SUPPLIERS, Supplier, id_field="id", under="supplier")

    async def get(self, supplier_id: str, *, session: Session | None = None) -> Versioned[Supplier] | None:
        return await self._suppliers.get(supplier_id, session=session)

    async def add(self, supplier: Supplier, badges_due_at: datetime | None, *, session: Session) -> None:
        try:
            await self._suppliers.insert(supplier, session=session, beside={BADGES_DUE: badges_due_at})
        except PyMongoError as error:
            if is_duplicate_key(error):
                raise SupplierAlreadyRegisteredError(
                    f"supplier {supplier.id} is already registered"
                ) from None
            raise

    async def save(
        self, supplier: Supplier, *, expected_version: int, badges_due_at: datetime | None, session: Session
    ) -> None:
        await self._suppliers.save(
            supplier, expected_version=expected_version, session=session, beside={BADGES_DUE: badges_due_at}
        )
