"""Logistics' read model of an escrow order: what Easy Return and dispute returns are decided on."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from shared.clock import UtcDateTime
from shared.contracts.catalog import EasyReturnTerms
from shared.money import Money

from .easy_return import ReturnableOrder
from .routes import CountryCode


class KnownOrder(BaseModel):
    """Kept from escrow's `order_funded` and this service's own delivery of the order's shipment."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    order_id: str
    shipment_id: str
    buyer_id: str
    supplier_id: str
    paid: Money
    # Escrow's split of `paid` when it gives one; the Easy Return cap counts goods + shipping.
    goods_total: Money | None = None
    shipping_total: Money | None = None
    destination_country: CountryCode
    # The contract's frozen Easy Return terms: whether the quote promised it, its cap and its window.
    easy_return: EasyReturnTerms
    delivered_at: UtcDateTime | None = None
    easy_return_id: str | None = None

    def returnable(self) -> ReturnableOrder:
        # Without escrow's split, the paid amount is the whole value (a landed price includes shipping).
        goods, shipping = self.paid, Money.zero(self.paid.currency)
        if self.goods_total is not None and self.shipping_total is not None:
            goods, shipping = self.goods_total, self.shipping_total
        return ReturnableOrder(
            order_id=self.order_id,
            shipment_id=self.shipment_id,
            buyer_id=self.buyer_id,
            supplier_id=self.supplier_id,
            easy_return=self.easy_return,
            product_total=goods,
            shipping_total=shipping,
            delivered_at=self.delivered_at,
        )
