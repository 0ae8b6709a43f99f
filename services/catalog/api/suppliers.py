"""Supplier routes: self-registration, own-profile edits, the public profile with badges and signals."""

from __future__ import annotations

from typing import Annotated

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from services.catalog.adapters.products import SUPPLIER_PRODUCTS
from services.catalog.adapters.suppliers import DIRECTORY
from services.catalog.api.access import ANYONE, SUPPLIER
from services.catalog.api.deps import CLOCK, LISTS, REVIEWS, SUPPLIERS
from services.catalog.api.list_views import (
    DirectoryQuery,
    ProductPage,
    ProductSummary,
    SupplierDirectoryEntry,
    SupplierDirectoryPage,
    SupplierProductsQuery,
)
from services.catalog.api.views import PublicSupplierView, ReviewListView, SupplierView, supplier_view
from services.catalog.domain.supplier import MediaLinks, SupplierProfile
from services.catalog.handlers.storefront import store_of
from shared.http.mapping import to_domain
from shared.http.routes import Api, PerAudience, principal
from shared.text import PlainText

Market = Annotated[PlainText, Field(min_length=1, max_length=100, examples=["North America"])]
MAX_MARKETS = 50
# Beyond the largest employer and the largest factory on earth: a bound, not a business rule.
MAX_STAFF = 10**7
MAX_FACTORY_M2 = 10**9


class NewSupplier(BaseModel):
    """What a supplier says about itself when it registers; editable later only by that supplier."""

    model_config = ConfigDict(extra="forbid")

    legal_name: PlainText = Field(min_length=1, max_length=300)
    country: str = Field(max_length=2, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    year_established: int = Field(ge=1800, le=2100)
    main_markets: tuple[Market, ...] = Field(fail_fast=True, default=(), max_length=MAX_MARKETS)
    staff_count: int = Field(ge=0, le=MAX_STAFF)
    factory_size_m2: int = Field(ge=0, le=MAX_FACTORY_M2)
    media: MediaLinks = MediaLinks()


class SupplierProfileChanges(BaseModel):
    """PATCH: only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    legal_name: PlainText | None = Field(default=None, min_length=1, max_length=300)
    country: str | None = Field(default=None, max_length=2, pattern=r"^[A-Z]{2}$")
    year_established: int | None = Field(default=None, ge=1800, le=2100)
    main_markets: tuple[Market, ...] | None = Field(fail_fast=True, default=None, max_length=MAX_MARKETS)
    staff_count: int | None = Field(default=None, ge=0, le=MAX_STAFF)
    factory_size_m2: int | None = Field(default=None, ge=0, le=MAX_FACTORY_M2)
    media: MediaLinks | None = None


class ReviewPage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=50, ge=1, le=200)


api = Api("suppliers", requires=(SUPPLIERS, REVIEWS, CLOCK, LISTS))


@api.get("/v1/suppliers", query=DirectoryQuery, response=SupplierDirectoryPage, roles=ANYONE)
async def list_suppliers(request: web.Request, query: DirectoryQuery) -> SupplierDirectoryPage:
    """The public supplier directory: filter by badge, Verified type, country, certification in force."""
    # One tag is an equality on the tag index; several narrow the first tag's entries further.
    tags = query.tags()
    wanted = None if not tags else tags[0] if len(tags) == 1 else {"$all": tags}
    listing = DIRECTORY.listing(
        scope={},
        filters={"tags": wanted},
        ordering=query.sort,
        limit=query.limit,
        cursor=query.cursor,
    )
    found = await request.app[LISTS].directory(listing)
    return SupplierDirectoryPage.of(found, SupplierDirectoryEntry.of)


@api.post("/v1/suppliers", body=NewSupplier, response=SupplierView, status=201, roles=SUPPLIER)
async def register_supplier(request: web.Request, body: NewSupplier) -> SupplierView:
    """Register the calling supplier (its id is the token's subject)."""
    service = request.app[SUPPLIERS]
    supplier = await service.register(principal(request).sub, to_domain(SupplierProfile, body))
    return SupplierView.of(await service.details(supplier.id), request.app[CLOCK].now())


@api.patch("/v1/suppliers/{supplier_id}", body=SupplierProfileChanges, response=SupplierView, roles=SUPPLIER)
async def edit_supplier_profile(request: web.Request, body: SupplierProfileChanges) -> SupplierView:
    """Edit the own profile; another supplier's profile is refused (403)."""
    service = request.app[SUPPLIERS]
    supplier_id = request.match_info["supplier_id"]
    await service.update_profile(supplier_id, principal(request).sub, body.model_dump(exclude_unset=True))
    return SupplierView.of(await service.details(supplier_id), request.app[CLOCK].now())


@api.get("/v1/suppliers/{supplier_id}", response=PerAudience(SupplierView, PublicSupplierView), roles=ANYONE)
async def show_supplier(request: web.Request) -> SupplierView | PublicSupplierView:
    """Profile, badges, Verified Pro criteria met and missing, metrics, rating and red-flag signals.

    Verification reference numbers (audit reports, certificate numbers, credential checks) only to the
    supplier itself and operations."""
    details = await request.app[SUPPLIERS].details(request.match_info["supplier_id"])
    return supplier_view(details, request.app[CLOCK].now(), principal(request))


@api.get(
    "/v1/suppliers/{supplier_id}/products", query=SupplierProductsQuery, response=ProductPage, roles=ANYONE
)
async def list_supplier_products(request: web.Request, query: SupplierProductsQuery) -> ProductPage:
    """A supplier's products, newest first; every listed product is public, so the supplier sees the same."""
    supplier_id = request.match_info["supplier_id"]
    await request.app[SUPPLIERS].registered(supplier_id)  # an unknown supplier is a 404, not an empty list
    listing = SUPPLIER_PRODUCTS.listing(
        scope={"supplier_id": supplier_id},
        filters={"category_id": query.category},
        ordering=query.sort,
        limit=query.limit,
        cursor=query.cursor,
    )
    return ProductPage.of(await request.app[LISTS].products(listing), ProductSummary.of)


@api.get("/v1/suppliers/{supplier_id}/reviews", query=ReviewPage, response=ReviewListView, roles=ANYONE)
async def list_store_reviews(request: web.Request, query: ReviewPage) -> ReviewListView:
    """Store reviews of a supplier, newest first, with the store rating."""
    store = store_of(request.match_info["supplier_id"])
    aggregate, found = await request.app[REVIEWS].of_target(store, query.limit)
    return ReviewListView.of(aggregate, found, principal(request))
