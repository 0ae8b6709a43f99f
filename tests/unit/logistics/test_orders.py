"""Logistics' read model of an escrow order, as Easy Return decides on it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.logistics.domain.orders import KnownOrder
from tests.support.protection import easy_return

from .builders import FUNDED_AT, usd

DELIVERED_AT = FUNDED_AT + timedelta(days=8)


def a_known_order(**overrides: Any) -> KnownOrder:
    fields: dict[str, Any] = {
        "order_id": "order-1",
        "shipment_id": "shipment-1",
        "buyer_id": "buyer-1",
        "supplier_id": "supplier-1",
        "paid": usd("1000.00"),
        "destination_country": "DE",
        "easy_return": easy_return("USD"),
        "delivered_at": DELIVERED_AT,
    }
    return KnownOrder(**(fields | overrides))


def test_a_returnable_order_counts_escrows_split_of_goods_and_shipping() -> None:
    # given escrow split the paid amount into goods and shipping
    order = a_known_order(goods_total=usd("900.00"), shipping_total=usd("100.00"))
    # when Easy Return looks at it
    returnable = order.returnable()
    # then it counts the split, and the delivery that starts the return window
    assert (returnable.product_total, returnable.shipping_total) == (usd("900.00"), usd("100.00"))
    assert returnable.delivered_at == DELIVERED_AT


def test_a_returnable_order_without_escrows_whole_split_counts_the_paid_amount_as_goods() -> None:
    # given an order whose split escrow gave only in part, or not at all
    for partial in ({"goods_total": usd("900.00")}, {"shipping_total": usd("100.00")}, {}):
        # when Easy Return looks at it
        returnable = a_known_order(**partial).returnable()
        # then the whole paid amount counts as goods (a landed price includes its shipping)
        assert (returnable.product_total, returnable.shipping_total) == (usd("1000.00"), usd("0.00"))
