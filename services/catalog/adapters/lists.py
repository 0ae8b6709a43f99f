"""The catalog's lists, read by keyset pages from the collections the repositories write.

Reading a list decides nothing, so the routes read here directly rather than through a handler; who may
see what is already in the `Listing` (its scope comes from the caller's token).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase

from services.catalog.adapters.products import PRODUCTS
from services.catalog.adapters.quotes import QUOTES
from services.catalog.adapters.suppliers import STANDING, SUPPLIERS
from services.catalog.domain.listing import SupplierStanding
from services.catalog.domain.product import Product
from services.catalog.domain.supplier import Supplier, SupplierProfile
from shared.contracts.catalog import Quote
from shared.mongo import Document
from shared.paging import Listing, Slice, read_page
from shared.store import VersionedStore, from_document


@dataclass(frozen=True)
class DirectoryEntry:
    """A supplier as the public directory knows it: its own profile and its standing as search sees it."""

    supplier_id: str
    profile: SupplierProfile
    registered_at: datetime
    trade_assurance_enrolled: bool
    standing: SupplierStanding


class CatalogLists:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._suppliers = VersionedStore(db, SUPPLIERS, Supplier, id_field="id", under="supplier")
        self._products = VersionedStore(db, PRODUCTS, Product, id_field="id", under="product")
        self._quotes = db[QUOTES]

    async def directory(self, listing: Listing) -> Slice[DirectoryEntry]:
        # Only the public parts travel: audits, checks and export figures stay on the supplier's page.
        public = ["supplier.id", "supplier.profile", "supplier.registered_at"]
        projection = listing.projected([*public, "supplier.trade_assurance_enrolled", STANDING])
        found = await read_page(self._suppliers.collection, listing, projection=projection)
        return Slice([_entry(document) for document in found.items], found.next_cursor)

    async def products(self, listing: Listing) -> Slice[Product]:
        return await self._products.page(listing)

    async def quotes(self, listing: Listing) -> Slice[Quote]:
        found = await read_page(self._quotes, listing, projection=listing.projected(["quote"]))
        return Slice([from_document(Quote, d["quote"]) for d in found.items], found.next_cursor)

    async def applications(self, listing: Listing) -> Slice[Supplier]:
        return await self._suppliers.page(listing)


def _entry(document: Document) -> DirectoryEntry:
    supplier = document["supplier"]
    return DirectoryEntry(
        supplier_id=supplier["id"],
        profile=from_document(SupplierProfile, supplier["profile"]),
        registered_at=supplier["registered_at"],
        trade_assurance_enrolled=bool(supplier.get("trade_assurance_enrolled", False)),
        standing=from_document(SupplierStanding, document[STANDING]),
    )
