"""Product commands and views: list, revise (owner only), and show with its red flags."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.catalog.adapters.products import ProductRecord
from services.catalog.domain.errors import NotOwnerError, SupplierNotRegisteredError, UnknownProductError
from services.catalog.domain.listing import product_fields
from services.catalog.domain.patches import patched
from services.catalog.domain.policy import CatalogPolicy
from services.catalog.domain.pricing import resolve_tier
from services.catalog.domain.product import ProductTerms
from services.catalog.domain.product_rules import publish_product, revise_product
from services.catalog.domain.ratings import RatingAggregate
from services.catalog.domain.supplier import ensure_owner
from services.catalog.handlers.ports import Products, Ratings, Suppliers
from services.catalog.handlers.risk import RiskAssessor
from services.catalog.handlers.storefront import Storefront
from shared.clock import Clock
from shared.contracts.catalog import ReviewTarget, RiskSignal, TargetKind
from shared.mongo import Document
from shared.unit_of_work import Transaction, UnitOfWork


@dataclass(frozen=True)
class ProductDetails:
    record: ProductRecord
    rating: RatingAggregate
    risk_signals: tuple[RiskSignal, ...]


class ProductCommands:
    def __init__(
        self,
        uow: UnitOfWork,
        products: Products,
        suppliers: Suppliers,
        ratings: Ratings,
        storefront: Storefront,
        risk: RiskAssessor,
        policy: CatalogPolicy,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._products = products
        self._suppliers = suppliers
        self._ratings = ratings
        self._storefront = storefront
        self._risk = risk
        self._policy = policy
        self._clock = clock

    async def publish(self, supplier_id: str, terms: ProductTerms) -> str:
        product_id = f"prod_{uuid.uuid4().hex}"

        async def work(tx: Transaction) -> str:
            loaded = await self._suppliers.get(supplier_id, session=tx.session)
            if loaded is None:
                raise SupplierNotRegisteredError("register the supplier profile before listing products")
            now = self._clock.now()
            product, event = publish_product(product_id, loaded.value, terms, self._policy.products, now)
            listing = product_fields(product, self._policy.red_flags)
            supplier = await self._storefront.fields(loaded.value, session=tx.session)
            await self._products.add(product, listing, supplier, session=tx.session)
            await tx.emit(event)
            return product_id

        return await self._uow.run(work)

    async def revise(self, product_id: str, supplier_id: str, changes: Document) -> None:
        async def work(tx: Transaction) -> None:
            record = await self._products.get(product_id, session=tx.session)
            if record is None:
                raise UnknownProductError(f"product {product_id} not found")
            ensure_owner(record.product.supplier_id, supplier_id)
            loaded = await self._suppliers.get(supplier_id, session=tx.session)
            if loaded is None:
                raise NotOwnerError("this product belongs to another supplier")
            current = ProductTerms.model_validate(
                record.product.model_dump(include=set(ProductTerms.model_fields))
            )
            terms = patched(current, changes)
            now = self._clock.now()
            revised, event = revise_product(record.product, loaded.value, terms, self._policy.products, now)
            listing = product_fields(revised, self._policy.red_flags)
            await self._products.save(revised, listing, expected_version=record.version, session=tx.session)
            await tx.emit(event)

        await self._uow.run(work)

    async def details(self, product_id: str) -> ProductDetails:
        record = await self._products.get(product_id)
        if record is None:
            raise UnknownProductError(f"product {product_id} not found")
        product = record.product
        supplier = await self._suppliers.get(product.supplier_id)
        if supplier is None:
            raise UnknownProductError(f"product {product_id} not found")
        # The listing is judged at its MOQ, the price a first order pays.
        unit_price = resolve_tier(product, product.moq).unit_price
        signals = await self._risk.of_listing(
            product, supplier.value, unit_price, product.moq, self._clock.now()
        )
        rating = await self._ratings.get(ReviewTarget(kind=TargetKind.PRODUCT, id=product_id))
        return ProductDetails(record=record, rating=rating, risk_signals=signals)
