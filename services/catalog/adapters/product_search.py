"""Product search on MongoDB: filters on tag arrays and ranges, keyset pages, facet counts, query plans.

Every pipeline starts with a `$match` on one *lead* predicate, then a `$match` with the whole filter.
SecantusDB only plans an index that covers every field of a `$match` (anything else is a collection
scan) and a `hint` costs it ~0.5 s per query, so the lead predicate is what selects the index; MongoDB
merges the two stages and plans them as one. The lead is the predicate expected to select least.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from services.catalog.adapters.products import PRODUCTS, ProductIndex
from services.catalog.domain.keywords import query_tokens, share_matched
from services.catalog.domain.listing import SupplierStanding, Tag
from services.catalog.domain.product import Product
from services.catalog.domain.search import Cursor, Facets, SearchQuery, SortKey, facets_from_tags
from shared.mongo import Document

SCORE = "_score"
_SORT_FIELDS = {
    SortKey.RELEVANCE: "boost",
    SortKey.PRICE: "price_from",
    SortKey.RATING: "rating",
    SortKey.ORDERS: "orders",
}
_SORT_INDEXES = {
    SortKey.RELEVANCE: ProductIndex.BOOST,
    SortKey.PRICE: ProductIndex.PRICE,
    SortKey.RATING: ProductIndex.RATING,
    SortKey.ORDERS: ProductIndex.ORDERS,
}
_ASCENDING = {SortKey.PRICE}
_PROJECTION = {
    "product": 1,
    "supplier": 1,
    "orders": 1,
    "title_tokens": 1,
    "boost": 1,
    "rating": 1,
    "price_from": 1,
}


@dataclass(frozen=True)
class Hit:
    product: Product
    supplier: SupplierStanding
    orders: int
    relevance: float


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    next_cursor: str | None


@dataclass(frozen=True)
class PreparedSearch:
    """One query turned into a filter, an index, a sort and the tokens relevance is measured against."""

    query: SearchQuery
    tokens: list[str]
    match: Document
    lead: Document
    index: str  # the index the lead predicate is served from

    @property
    def scored(self) -> bool:
        """Relevance with keywords sorts on a score computed per hit; other sorts use a stored field."""
        return bool(self.tokens) and self.query.sort is SortKey.RELEVANCE

    @property
    def sort_field(self) -> str:
        return SCORE if self.scored else _SORT_FIELDS[self.query.sort]

    @property
    def direction(self) -> int:
        return 1 if self.query.sort in _ASCENDING else -1


def prepare(query: SearchQuery) -> PreparedSearch:
    tokens = query_tokens(query.q) if query.q else []
    match: Document = {}
    if tokens:
        match["keywords"] = {"$all": tokens}
    product_tags, supplier_tags = query.required_tags()
    if product_tags:
        match["product_tags"] = {"$all": product_tags}
    if supplier_tags:
        match["supplier_tags"] = {"$all": supplier_tags}
    prices = {op: v for op, v in (("$gte", query.min_price), ("$lte", query.max_price)) if v is not None}
    if query.quantity is not None:
        # The tier covering the quantity must exist (orderable) and, when asked, be priced in range.
        covering: Document = {"min_qty": {"$lte": query.quantity}, "max_qty": {"$gte": query.quantity}}
        match["price_tiers"] = {"$elemMatch": {**covering, **({"amount": prices} if prices else {})}}
    elif prices:
        match["price_from"] = prices
    if query.max_moq is not None:
        match["moq"] = {"$lte": query.max_moq}
    if query.min_rating is not None:
        match["rating"] = {"$gte": query.min_rating}
    lead, index = _lead(query, match, tokens, product_tags, supplier_tags)
    return PreparedSearch(query, tokens, match, lead, index)


def _lead(
    query: SearchQuery, match: Document, tokens: list[str], product_tags: list[str], supplier_tags: list[str]
) -> tuple[Document, str]:
    """The predicate expected to select least, and its index; the sort's index when nothing filters."""
    flags = [tag for tag in product_tags if tag != Tag.CURRENCY + (query.currency or "")]
    choices: tuple[tuple[bool, Callable[[], Document], str], ...] = (
        (query.category is not None, lambda: {"product_tags": product_tags[0]}, ProductIndex.PRODUCT_TAGS),
        (bool(tokens), lambda: {"keywords": tokens[0]}, ProductIndex.KEYWORDS),
        ("price_from" in match, lambda: {"price_from": match["price_from"]}, ProductIndex.PRICE),
        (bool(flags), lambda: {"product_tags": flags[0]}, ProductIndex.PRODUCT_TAGS),
        (bool(supplier_tags), lambda: {"supplier_tags": supplier_tags[0]}, ProductIndex.SUPPLIER_TAGS),
        ("rating" in match, lambda: {"rating": match["rating"]}, ProductIndex.RATING),
        ("moq" in match, lambda: {"moq": match["moq"]}, ProductIndex.MOQ),
        (bool(product_tags), lambda: {"product_tags": product_tags[0]}, ProductIndex.PRODUCT_TAGS),
    )
    for applies, predicate, index in choices:
        if applies:
            return predicate(), index
    return {}, _SORT_INDEXES[query.sort]


def _matching(search: PreparedSearch) -> list[Document]:
    return [{"$match": search.lead}, {"$match": search.match}] if search.lead else [{"$match": search.match}]


def _scoring_stages(search: PreparedSearch, relevance_weight: float) -> list[Document]:
    shared = {"$size": {"$setIntersection": ["$title_tokens", search.tokens]}}
    relevance = {"$divide": [shared, len(set(search.tokens))]}
    return [{"$addFields": {SCORE: {"$add": ["$boost", {"$multiply": [relevance_weight, relevance]}]}}}]


def _after(search: PreparedSearch, cursor: Cursor) -> Document:
    field, beyond = search.sort_field, "$gt" if search.direction == 1 else "$lt"
    return {"$or": [{field: {beyond: cursor.value}}, {field: cursor.value, "_id": {"$gt": cursor.id}}]}


class ProductSearch:
    def __init__(self, db: AsyncDatabase[Document], *, relevance_weight: float) -> None:
        self._db = db
        self._products = db[PRODUCTS]
        self._relevance_weight = relevance_weight

    def pipeline(self, search: PreparedSearch, page_size: int) -> list[Document]:
        cursor = Cursor.decode(search.query.cursor, search.query.sort) if search.query.cursor else None
        stages = _matching(search)
        if search.scored:
            stages += _scoring_stages(search, self._relevance_weight)
        if cursor is not None:
            stages.append({"$match": _after(search, cursor)})
        return [
            *stages,
            {"$sort": {search.sort_field: search.direction, "_id": 1}},
            {"$limit": page_size + 1},
            {"$project": {**_PROJECTION, **({SCORE: 1} if search.scored else {})}},
        ]

    async def page(self, search: PreparedSearch, page_size: int) -> SearchPage:
        found = await self._products.aggregate(self.pipeline(search, page_size))
        documents = await found.to_list()
        more = len(documents) > page_size
        documents = documents[:page_size]
        hits = [self._hit(search, document) for document in documents]
        next_cursor = None
        if more and documents:
            last = documents[-1]
            value = float(last[search.sort_field])
            next_cursor = Cursor(sort=search.query.sort, value=value, id=str(last["_id"])).encode()
        return SearchPage(hits=hits, next_cursor=next_cursor)

    def _hit(self, search: PreparedSearch, document: Document) -> Hit:
        return Hit(
            product=Product.model_validate(document["product"]),
            supplier=SupplierStanding.model_validate(document["supplier"]),
            orders=int(document.get("orders", 0)),
            relevance=share_matched(search.tokens, list(document.get("title_tokens", []))),
        )

    def facet_pipeline(self, search: PreparedSearch) -> list[Document]:
        return [
            *_matching(search),
            {"$project": {"_id": 0, "tag": {"$concatArrays": ["$product_tags", "$supplier_tags"]}}},
            {"$unwind": "$tag"},
            {"$group": {"_id": "$tag", "count": {"$sum": 1}}},
        ]

    async def facets(self, search: PreparedSearch) -> Facets:
        found = await self._products.aggregate(self.facet_pipeline(search))
        return facets_from_tags({str(row["_id"]): int(row["count"]) async for row in found})

    async def plan(self, pipeline: list[Document]) -> list[str]:
        """The stages (and index names) of the winning plan: a test and the bench assert no COLLSCAN."""
        command = {"aggregate": PRODUCTS, "pipeline": pipeline, "cursor": {}}
        explained = await self._db.command("explain", command, verbosity="queryPlanner")
        return plan_stages(explained)


def plan_stages(explained: Any) -> list[str]:
    """Every `stage` and `indexName` of the winning plans found anywhere in an explain document."""
    found: list[str] = []
    if isinstance(explained, dict):
        for key, value in explained.items():
            if key in ("stage", "indexName") and isinstance(value, str):
                found.append(value)
            elif key != "rejectedPlans":
                found += plan_stages(value)
    elif isinstance(explained, list):
        for item in explained:
            found += plan_stages(item)
    return found
