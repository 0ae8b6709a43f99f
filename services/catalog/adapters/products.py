"""Products: the aggregate's JSON plus its search fields (its own and its supplier's, denormalised)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from services.catalog.domain.listing import ProductListingFields, SupplierListingFields, SupplierStanding, Tag
from services.catalog.domain.product import Product
from shared.money import Money
from shared.mongo import Document, Indexes, Session
from shared.paging import ListSpec, Ordering
from shared.store import VersionedStore, from_document, to_document

PRODUCTS = "products"


class ProductIndex:
    """Index names, so that tests and the bench can say which index served a query."""

    KEYWORDS = "keywords_boost"
    PRODUCT_TAGS = "product_tags_boost"
    SUPPLIER_TAGS = "supplier_tags_boost"
    BOOST = "boost"
    PRICE = "price_from"
    RATING = "rating"
    ORDERS = "orders"
    MOQ = "moq"


PRODUCT_INDEXES = Indexes(
    PRODUCTS,
    [
        IndexModel([("keywords", ASCENDING), ("boost", DESCENDING)], name=ProductIndex.KEYWORDS),
        IndexModel([("product_tags", ASCENDING), ("boost", DESCENDING)], name=ProductIndex.PRODUCT_TAGS),
        IndexModel([("supplier_tags", ASCENDING), ("boost", DESCENDING)], name=ProductIndex.SUPPLIER_TAGS),
        IndexModel([("boost", DESCENDING), ("_id", ASCENDING)], name=ProductIndex.BOOST),
        IndexModel([("price_from", ASCENDING), ("_id", ASCENDING)], name=ProductIndex.PRICE),
        IndexModel([("rating", DESCENDING), ("_id", ASCENDING)], name=ProductIndex.RATING),
        IndexModel([("orders", DESCENDING), ("_id", ASCENDING)], name=ProductIndex.ORDERS),
        IndexModel([("moq", ASCENDING)], name=ProductIndex.MOQ),
    ],
)

SUPPLIER_PRODUCTS = ListSpec(
    name="supplier_products",
    collection=PRODUCTS,
    # The supplier named in the path: public, like every listed product. The list's index (supplier_id,
    # published_at, _id) also serves the restatement of a supplier's standing on all its products.
    scopes=(("supplier_id",),),
    filters=frozenset({"category_id"}),
    orderings=(Ordering("newest", (("published_at", DESCENDING),)),),
)


@dataclass(frozen=True)
class PriceScope:
    """Which listings a price is compared with: one category (`exact`) or a category with its
    sub-categories, in one currency and quantity band."""

    category: str
    exact: bool
    currency: str
    band: int
    excluding: str


@dataclass(frozen=True)
class ProductRecord:
    """A product as stored: the aggregate, its version, its supplier snapshot and completed orders."""

    product: Product
    version: int
    supplier: SupplierStanding
    orders: int


def product_document(
    product: Product, listing: ProductListingFields, supplier: SupplierListingFields, version: int = 1
) -> Document:
    """The full document; the bench seeds with it too."""
    return {
        "_id": product.id,
        "version": version,
        "orders": 0,
        "product": to_document(product),
        **to_document(listing),
        **to_document(supplier),
    }


class ProductRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._store = VersionedStore(db, PRODUCTS, Product, id_field="id", under="product")
        self._products = self._store.collection

    async def get(self, product_id: str, *, session: Session | None = None) -> ProductRecord | None:
        document = await self._products.find_one({"_id": product_id}, session=session)
        return None if document is None else self.record(document)

    def record(self, document: Document) -> ProductRecord:
        """A product document as stored, as its record."""
        stored = self._store.load(document)
        return ProductRecord(
            product=stored.value,
            version=stored.version,
            supplier=from_document(SupplierStanding, document["supplier"]),
            orders=int(document.get("orders", 0)),
        )

    async def add(
        self,
        product: Product,
        listing: ProductListingFields,
        supplier: SupplierListingFields,
        *,
        session: Session,
    ) -> None:
        await self._products.insert_one(product_document(product, listing, supplier), session=session)

    async def save(
        self, product: Product, listing: ProductListingFields, *, expected_version: int, session: Session
    ) -> None:
        await self._store.save(
            product, expected_version=expected_version, session=session, beside=to_document(listing)
        )

    async def restate_supplier(self, fields: SupplierListingFields, *, session: Session) -> int:
        """Copy a supplier's new standing onto all its products; no version bump (terms unchanged)."""
        result = await self._products.update_many(
            {"supplier_id": fields.supplier.supplier_id},
            {"$set": to_document(fields)},
            session=session,
        )
        return result.modified_count

    async def count_completed_order(self, product_id: str, *, session: Session) -> None:
        await self._products.update_one({"_id": product_id}, {"$inc": {"orders": 1}}, session=session)

    async def band_prices(self, scopes: Sequence[PriceScope], *, limit: int) -> list[tuple[Money, ...]]:
        """Unit prices of the other listings in each scope (up to `limit` each), in one round trip: the
        first scope's query, each further one's joined by `$unionWith`. Each is led by the category tag
        (which every listing carries for its category and its parent category), so each reads at most
        `limit` listings of the index, however many the catalog holds."""
        first, *rest = [self._band_pipeline(scope, index, limit) for index, scope in enumerate(scopes)]
        pipeline = first + [{"$unionWith": {"coll": PRODUCTS, "pipeline": more}} for more in rest]
        found: list[list[Money]] = [[] for _ in scopes]
        for document in await (await self._products.aggregate(pipeline)).to_list():
            scope = scopes[document["scope"]]
            amount = int(document["band_prices"][str(scope.band)])
            found[document["scope"]].append(Money(amount=amount, currency=scope.currency))
        return [tuple(prices) for prices in found]

    @staticmethod
    def _band_pipeline(scope: PriceScope, index: int, limit: int) -> list[Document]:
        path = f"band_prices.{scope.band}"
        rest: Document = {
            "currency": scope.currency,
            path: {"$exists": True},
            "_id": {"$ne": scope.excluding},
        }
        if scope.exact:
            rest["category_id"] = scope.category
        return [
            {"$match": {"product_tags": Tag.CATEGORY + scope.category}},
            {"$match": rest},
            {"$limit": limit},
            {"$project": {path: 1, "scope": {"$literal": index}}},
        ]
