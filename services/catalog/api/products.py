"""Product routes: list and revise (owning supplier), show with red flags, search, product reviews."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from services.catalog.adapters.product_search import prepare
from services.catalog.api.access import ANYONE, SUPPLIER
from services.catalog.api.deps import PRODUCTS, RANKING, REVIEWS, SEARCH, SEARCH_LIMITS
from services.catalog.api.suppliers import ReviewPage
from services.catalog.api.views import Created, ProductView, ReviewListView, SearchHitView, SearchPageView
from services.catalog.domain.product import GuaranteedOffer, PriceTier, ProductTerms, SampleOffer
from services.catalog.domain.search import SearchQuery, SortKey, check_query
from shared.contracts.catalog import AfterSalesLabel, ReviewTarget, SupplierType, TargetKind
from shared.http.mapping import to_domain
from shared.http.routes import Api, principal
from shared.money import MAX_MINOR_UNITS, MAX_QUANTITY, CurrencyCode, Quantity
from shared.text import AttributeKey, AttributeValue, Identifier, PlainText

# A listing's size: enough for any real catalogue entry, small enough that one cannot fill a document.
MAX_ATTRIBUTES = 100
MAX_TIERS = 20
MAX_UNIT_WEIGHT_GRAMS = 10**8  # 100 t per unit


class NewProduct(BaseModel):
    """What a supplier submits to list a product: tiers, MOQ and flags are checked like every listing."""

    model_config = ConfigDict(extra="forbid")

    title: PlainText = Field(min_length=1, max_length=300)
    category_id: Identifier
    parent_category_id: Identifier | None = None
    attributes: dict[AttributeKey, AttributeValue] = Field(
        fail_fast=True, default_factory=dict, max_length=MAX_ATTRIBUTES
    )
    unit: PlainText = Field(default="piece", min_length=1, max_length=40)
    # Needed only when a Guaranteed route is priced by weight.
    unit_weight_grams: int | None = Field(default=None, strict=True, ge=1, le=MAX_UNIT_WEIGHT_GRAMS)
    moq: Quantity
    order_multiple: Quantity = 1
    currency: CurrencyCode
    tiers: tuple[PriceTier, ...] = Field(fail_fast=True, min_length=1, max_length=MAX_TIERS)
    trade_assurance: bool = False
    guaranteed: GuaranteedOffer | None = None
    easy_return: bool = False
    after_sales: frozenset[AfterSalesLabel] = Field(
        fail_fast=True, default=frozenset(), max_length=len(AfterSalesLabel)
    )
    sample: SampleOffer | None = None


class ProductTermsChanges(BaseModel):
    """PATCH: only the fields given change; the result is checked like a new listing."""

    model_config = ConfigDict(extra="forbid")

    title: PlainText | None = Field(default=None, min_length=1, max_length=300)
    category_id: Identifier | None = None
    parent_category_id: Identifier | None = None
    attributes: dict[AttributeKey, AttributeValue] | None = Field(
        fail_fast=True, default=None, max_length=MAX_ATTRIBUTES
    )
    unit: PlainText | None = Field(default=None, min_length=1, max_length=40)
    unit_weight_grams: int | None = Field(default=None, strict=True, ge=1, le=MAX_UNIT_WEIGHT_GRAMS)
    moq: Quantity | None = None
    order_multiple: Quantity | None = None
    currency: CurrencyCode | None = None
    tiers: tuple[PriceTier, ...] | None = Field(
        fail_fast=True, default=None, min_length=1, max_length=MAX_TIERS
    )
    trade_assurance: bool | None = None
    guaranteed: GuaranteedOffer | None = None
    easy_return: bool | None = None
    after_sales: frozenset[AfterSalesLabel] | None = Field(
        fail_fast=True, default=None, max_length=len(AfterSalesLabel)
    )
    sample: SampleOffer | None = None


class ProductQuery(BaseModel):
    """Keyword, filters, sort and page. Prices are minor units of `currency`, which they require."""

    model_config = ConfigDict(extra="forbid")

    q: PlainText | None = Field(default=None, max_length=200)
    category: PlainText | None = Field(default=None, max_length=100)
    verified: bool = False
    verified_pro: bool = False
    supplier_type: SupplierType | None = None
    trade_assurance: bool = False
    guaranteed: bool = False
    easy_return: bool = False
    certification: PlainText | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=2, pattern=r"^[A-Z]{2}$")
    currency: str | None = Field(default=None, max_length=3, pattern=r"^[A-Z]{3}$")
    min_price: int | None = Field(default=None, ge=0, le=MAX_MINOR_UNITS)
    max_price: int | None = Field(default=None, ge=0, le=MAX_MINOR_UNITS)
    quantity: int | None = Field(
        default=None, ge=1, le=MAX_QUANTITY, description="Price range applies at this quantity."
    )
    max_moq: int | None = Field(default=None, ge=1, le=MAX_QUANTITY)
    min_rating: float | None = Field(default=None, ge=0, le=5)
    sort: SortKey = SortKey.RELEVANCE
    cursor: PlainText | None = Field(default=None, max_length=1_000)
    limit: int | None = Field(default=None, ge=1, description="Page size; capped by the service.")
    explain: bool = False
    facets: bool = True


api = Api("products", requires=(PRODUCTS, REVIEWS, SEARCH, SEARCH_LIMITS, RANKING))


@api.post("/v1/products", body=NewProduct, response=Created, status=201, roles=SUPPLIER)
async def list_product(request: web.Request, body: NewProduct) -> Created:
    """List a product of the caller (tiers, MOQ and flags are checked; errors name the field)."""
    terms = to_domain(ProductTerms, body)
    product_id = await request.app[PRODUCTS].publish(principal(request).sub, terms)
    return Created(id=product_id)


@api.patch("/v1/products/{product_id}", body=ProductTermsChanges, response=ProductView, roles=SUPPLIER)
async def revise_product(request: web.Request, body: ProductTermsChanges) -> ProductView:
    """Revise an own product; another supplier's product is refused (403)."""
    products = request.app[PRODUCTS]
    product_id = request.match_info["product_id"]
    changes = body.model_dump(exclude_unset=True)
    await products.revise(product_id, principal(request).sub, changes)
    return ProductView.of(await products.details(product_id))


@api.get("/v1/products/{product_id}", response=ProductView, roles=ANYONE)
async def show_product(request: web.Request) -> ProductView:
    """A product with its supplier's standing, rating and red-flag signals."""
    return ProductView.of(await request.app[PRODUCTS].details(request.match_info["product_id"]))


@api.get("/v1/products", query=ProductQuery, response=SearchPageView, roles=ANYONE)
async def search_products(request: web.Request, query: ProductQuery) -> SearchPageView:
    """Keyword, filters, sort, facet counts and cursor pages; `explain=true` shows the score parts."""
    search, limits = request.app[SEARCH], request.app[SEARCH_LIMITS]
    wanted = to_domain(SearchQuery, query)
    check_query(wanted)
    prepared = prepare(wanted)
    page_size = min(wanted.limit or limits.default_page_size, limits.max_page_size)
    page = await search.page(prepared, page_size)
    explain = request.app[RANKING] if wanted.explain else None
    return SearchPageView(
        items=[SearchHitView.of(hit, wanted.quantity, explain) for hit in page.hits],
        next_cursor=page.next_cursor,
        facets=await search.facets(prepared) if wanted.facets else None,
    )


@api.get("/v1/products/{product_id}/reviews", query=ReviewPage, response=ReviewListView, roles=ANYONE)
async def list_product_reviews(request: web.Request, query: ReviewPage) -> ReviewListView:
    """Reviews of a product, newest first, with its rating."""
    target = ReviewTarget(kind=TargetKind.PRODUCT, id=request.match_info["product_id"])
    aggregate, found = await request.app[REVIEWS].of_target(target, query.limit)
    return ReviewListView.of(aggregate, found, principal(request))
