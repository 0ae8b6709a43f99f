"""Validation of product terms and the listing/revision transitions; every refusal names its field."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

from services.catalog.domain.errors import InvalidFieldError
from services.catalog.domain.policy import ProductPolicy
from services.catalog.domain.product import PriceTier, Product, ProductTerms, list_product, with_terms
from services.catalog.domain.supplier import Supplier, ensure_owner
from shared.contracts.catalog import ProductPublished
from shared.money import Money


def check_terms(terms: ProductTerms, supplier: Supplier, policy: ProductPolicy) -> None:
    if terms.moq % terms.order_multiple:
        raise InvalidFieldError("moq", f"must be a multiple of the order multiple {terms.order_multiple}")
    check_tiers(terms.tiers, terms.moq, terms.currency, policy)
    if terms.trade_assurance and not supplier.trade_assurance_enrolled:
        raise InvalidFieldError("trade_assurance", "the supplier is not enrolled in Trade Assurance")
    if terms.easy_return and not terms.trade_assurance:
        # A listing advertises only what an order of it can get: Easy Return covers Trade Assurance orders.
        raise InvalidFieldError("easy_return", "Easy Return is offered only on Trade Assurance listings")
    if terms.guaranteed is not None:
        within = terms.guaranteed.dispatch_within
        if not policy.guaranteed_min_dispatch <= within <= policy.guaranteed_max_dispatch:
            raise InvalidFieldError(
                "guaranteed.dispatch_within",
                f"must be between {policy.guaranteed_min_dispatch} and {policy.guaranteed_max_dispatch}",
            )
    if terms.sample is not None:
        _check_price("sample.unit_price", terms.sample.unit_price, terms.currency, allow_zero=True)


def check_tiers(tiers: tuple[PriceTier, ...], moq: int, currency: str, policy: ProductPolicy) -> None:
    """Tiers start at the MOQ, are contiguous (each starts right after the previous ends), priced in one
    currency; only the last may be open-ended."""
    if len(tiers) > policy.max_tiers:
        raise InvalidFieldError("tiers", f"at most {policy.max_tiers} tiers")
    if tiers[0].min_qty != moq:
        raise InvalidFieldError("tiers[0].min_qty", f"the first tier must start at the MOQ {moq}")
    for index, tier in enumerate(tiers):
        _check_price(f"tiers[{index}].unit_price", tier.unit_price, currency, allow_zero=False)
        if tier.max_qty is not None and tier.max_qty < tier.min_qty:
            raise InvalidFieldError(f"tiers[{index}].max_qty", "must not be below min_qty")
    for index, (tier, following) in enumerate(pairwise(tiers), start=1):
        if tier.max_qty is None:
            raise InvalidFieldError(f"tiers[{index - 1}].max_qty", "only the last tier may be open-ended")
        if following.min_qty != tier.max_qty + 1:
            raise InvalidFieldError(
                f"tiers[{index}].min_qty", f"must be {tier.max_qty + 1} (tiers are contiguous)"
            )


def _check_price(field: str, price: Money, currency: str, *, allow_zero: bool) -> None:
    if price.currency != currency:
        raise InvalidFieldError(f"{field}.currency", f"must be the product currency {currency}")
    if price.amount < 0 or (price.amount == 0 and not allow_zero):
        raise InvalidFieldError(f"{field}.amount", "must be positive")


def publish_product(
    product_id: str, supplier: Supplier, terms: ProductTerms, policy: ProductPolicy, now: datetime
) -> tuple[Product, ProductPublished]:
    """`supplier` is the acting supplier, taken from the token."""
    check_terms(terms, supplier, policy)
    product = list_product(product_id, supplier.id, terms, now)
    return product, _published(product, now)


def revise_product(
    product: Product, supplier: Supplier, terms: ProductTerms, policy: ProductPolicy, now: datetime
) -> tuple[Product, ProductPublished]:
    ensure_owner(product.supplier_id, supplier.id)
    check_terms(terms, supplier, policy)
    revised = with_terms(product, terms, now)
    return revised, _published(revised, now)


def _published(product: Product, now: datetime) -> ProductPublished:
    return ProductPublished(
        product_id=product.id,
        supplier_id=product.supplier_id,
        category_id=product.category_id,
        title=product.title,
        moq=product.moq,
        lowest_unit_price=product.lowest_unit_price,
        trade_assurance=product.trade_assurance,
        guaranteed=product.guaranteed is not None,
        easy_return=product.easy_return,
        published_at=now,
    )
