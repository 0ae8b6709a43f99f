"""Pricing a quantity of a product: MOQ and order multiple, tier resolution, landed shipping, totals."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from services.catalog.domain.errors import InvalidFieldError, QuantityBelowMoqError, QuantityNotMultipleError
from services.catalog.domain.product import PriceTier, Product
from shared.money import Money, computing


class PriceBreakdown(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    quantity: int
    tier_min_qty: int
    unit_price: Money
    goods_total: Money
    shipping: Money | None  # landed shipping of a Guaranteed offer; None otherwise
    total: Money


def check_quantity(product: Product, quantity: int) -> None:
    if quantity < product.moq:
        raise QuantityBelowMoqError(quantity, product.moq)
    if quantity % product.order_multiple:
        raise QuantityNotMultipleError(quantity, product.order_multiple)


def resolve_tier(product: Product, quantity: int) -> PriceTier:
    """The tier with the highest `min_qty` ≤ quantity; a capped last tier bounds the orderable quantity."""
    check_quantity(product, quantity)
    tier = max((t for t in product.tiers if t.min_qty <= quantity), key=lambda t: t.min_qty, default=None)
    if tier is None:  # below the first tier is below the MOQ: the same problem, never a bare ValueError
        raise QuantityBelowMoqError(quantity, product.moq)
    if tier.max_qty is not None and quantity > tier.max_qty:
        raise InvalidFieldError(
            "quantity", f"{quantity} exceeds the largest orderable quantity {tier.max_qty}"
        )
    return tier


def price_quantity(product: Product, quantity: int, shipping: Money | None = None) -> PriceBreakdown:
    """`shipping` is the route table's landed shipping price to the destination, for Guaranteed offers."""
    tier = resolve_tier(product, quantity)
    landed = _landed_shipping(product, shipping)
    with computing("total"):
        goods_total = tier.unit_price.times(quantity)
        total = goods_total + landed if landed is not None else goods_total
    return PriceBreakdown(
        quantity=quantity,
        tier_min_qty=tier.min_qty,
        unit_price=tier.unit_price,
        goods_total=goods_total,
        shipping=landed,
        total=total,
    )


def _landed_shipping(product: Product, shipping: Money | None) -> Money | None:
    if product.guaranteed is None:
        return None  # shipping of other offers is agreed outside the locked price
    if shipping is None:
        raise InvalidFieldError("destination", "no Guaranteed route to this destination")
    if shipping.currency != product.currency:
        raise InvalidFieldError("shipping_price.currency", f"must be the product currency {product.currency}")
    if shipping.amount < 0:
        raise InvalidFieldError("shipping_price.amount", "must not be negative")
    return shipping
