"""Suppliers: the aggregate's document, its version, the next instant its badges can change (timer), and
the query fields of the two lists over it, the public directory and the verification desk's queue."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.catalog.domain.errors import SupplierAlreadyRegisteredError
from services.catalog.domain.listing import SupplierListingFields
from services.catalog.domain.supplier import Supplier
from services.catalog.domain.verification_queue import application_status, pending_documents, waiting_since
from shared.mongo import Document, Session, is_duplicate_key
from shared.paging import ListSpec, Ordering
from shared.store import Versioned, VersionedStore, to_document

SUPPLIERS = "suppliers"
BADGES_DUE = "badges_due_at"
# The supplier's standing as search sees it (badges, certifications in force, rating), restated with the
# copies on its products; the directory shows it and filters on the fields flattened beside it.
STANDING = "standing"

DIRECTORY = ListSpec(
    name="supplier_directory",
    collection=SUPPLIERS,
    scopes=((),),  # public: everyone sees every supplier's public fields
    # One tag array holds every filterable fact (search's vocabulary: `verified`, `country:CN`, …): a filter
    # is one tag, a combination of filters an `$all`, checked on the entries of the sort's index.
    filters=frozenset({"tags"}),
    orderings=(
        Ordering("name", (("name_key", ASCENDING),)),
        Ordering("newest", (("registered_at", DESCENDING),)),
        Ordering("rating", (("rating", DESCENDING),)),
    ),
)

VERIFICATION_QUEUE = ListSpec(
    name="verification_queue",
    collection=SUPPLIERS,
    scopes=((),),  # the verification desk sees every application
    filters=frozenset({"application_status", "pending_kinds"}),
    # The status leads the sort although it is always filtered on: the list's index then holds each status's
    # queue in waiting order, and a page never walks the (many) suppliers with nothing pending.
    orderings=(Ordering("oldest", (("application_status", ASCENDING), ("waiting_since", ASCENDING))),),
)


class _SupplierStore(VersionedStore[Supplier]):
    def beside(self, value: Supplier) -> Document:
        """The query fields the aggregate alone decides, rewritten with it on every save."""
        status = application_status(value)
        return {
            "name_key": value.profile.legal_name.casefold(),
            "registered_at": value.registered_at,
            "application_status": status.value if status else None,
            "waiting_since": waiting_since(value),
            "pending_kinds": sorted({c.kind.value for c in pending_documents(value)}),
        }


class SupplierRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._suppliers = _SupplierStore(db, SUPPLIERS, Supplier, id_field="id", under="supplier")

    async def get(self, supplier_id: str, *, session: Session | None = None) -> Versioned[Supplier] | None:
        return await self._suppliers.get(supplier_id, session=session)

    def load(self, document: Document) -> Versioned[Supplier]:
        """A supplier document as stored, as its aggregate."""
        return self._suppliers.load(document)

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

    async def restate(self, fields: SupplierListingFields, *, session: Session) -> None:
        """The directory's copy of the standing; no version bump, like the copies on the products."""
        standing = fields.supplier
        await self._suppliers.collection.update_one(
            {"_id": standing.supplier_id},
            {
                "$set": {
                    STANDING: to_document(standing),
                    "tags": fields.supplier_tags,
                    "rating": fields.rating,
                }
            },
            session=session,
        )
