"""Product routes: list and revise (owning supplier), show with red flags, search, product reviews."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from services.catalog.adapters.product_search import ProductSearch, prepare
from services.catalog.api.access import ANYONE, SUPPLIER
from services.catalog.api.suppliers import ReviewPage
from services.catalog.api.views import Created, ProductView, ReviewListView, SearchHitView, SearchPageView
from services.catalog.domain.policy import RankingPolicy
from services.catalog.domain.product import GuaranteedOffer, PriceTier, ProductTerms, SampleOffer
from services.catalog.domain.search import SearchQuery, check_query
from services.catalog.handlers.products import ProductService
from services.catalog.handlers.reviews import ReviewService
from shared.contracts.catalog import AfterSalesLabel, ReviewTarget, TargetKind
from shared.http.routes import Api, principal
from shared.money import CurrencyCode


class ProductTermsChanges(BaseModel):
    """PATCH: only the fields given change; the result is checked like a new listing."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=300)
    category_id: str | None = Field(default=None, min_length=1)
    parent_category_id: str | None = None
    attributes: dict[str, str] | None = None
    unit: str | None = Field(default=None, min_length=1, max_length=40)
    unit_weight_grams: int | None = Field(default=None, ge=1)
    moq: int | None = Field(default=None, ge=1)
    order_multiple: int | None = Field(default=None, ge=1)
    currency: CurrencyCode | None = None
    tiers: tuple[PriceTier, ...] | None = Field(default=None, min_length=1)
    trade_assurance: bool | None = None
    guaranteed: GuaranteedOffer | None = None
    easy_return: bool | None = None
    after_sales: frozenset[AfterSalesLabel] | None = None
    sample: SampleOffer | None = None


class SearchLimits(BaseModel):
    default_page_size: int
    max_page_size: int


def products_api(
    products: ProductService,
    search: ProductSearch,
    reviews: ReviewService,
    ranking: RankingPolicy,
    limits: SearchLimits,
) -> Api:
    api = Api("products")

    @api.post("/v1/products", body=ProductTerms, response=Created, status=201, roles=SUPPLIER)
    async def list_product(request: web.Request, body: ProductTerms) -> Created:
        """List a product of the caller (tiers, MOQ and flags are checked; errors name the field)."""
        return Created(id=await products.publish(principal(request).sub, body))

    @api.patch("/v1/products/{product_id}", body=ProductTermsChanges, response=ProductView, roles=SUPPLIER)
    async def revise_product(request: web.Request, body: ProductTermsChanges) -> ProductView:
        """Revise an own product; another supplier's product is refused (403)."""
        product_id = request.match_info["product_id"]
        changes = body.model_dump(exclude_unset=True)
        await products.revise(product_id, principal(request).sub, changes)
        return ProductView.of(await products.details(product_id))

    @api.get("/v1/products/{product_id}", response=ProductView, roles=ANYONE)
    async def show_product(request: web.Request) -> ProductView:
        """A product with its supplier's standing, rating and red-flag signals."""
        return ProductView.of(await products.details(request.match_info["product_id"]))

    @api.get("/v1/products", query=SearchQuery, response=SearchPageView, roles=ANYONE)
    async def search_products(request: web.Request, query: SearchQuery) -> SearchPageView:
        """Keyword, filters, sort, facet counts and cursor pages; `explain=true` shows the score parts."""
        check_query(query)
        prepared = prepare(query)
        page_size = min(query.limit or limits.default_page_size, limits.max_page_size)
        page = await search.page(prepared, page_size)
        explain = ranking if query.explain else None
        return SearchPageView(
            items=[SearchHitView.of(hit, query.quantity, explain) for hit in page.hits],
            next_cursor=page.next_cursor,
            facets=await search.facets(prepared) if query.facets else None,
        )

    @api.get("/v1/products/{product_id}/reviews", query=ReviewPage, response=ReviewListView, roles=ANYONE)
    async def list_product_reviews(request: web.Request, query: ReviewPage) -> ReviewListView:
        """Reviews of a product, newest first, with its rating."""
        target = ReviewTarget(kind=TargetKind.PRODUCT, id=request.match_info["product_id"])
        aggregate, found = await reviews.of_target(target, query.limit)
        return ReviewListView.of(aggregate, found)

    return api
