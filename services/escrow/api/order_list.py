"""`GET /v1/orders`: a party's own orders (status tabs, counterparty, dates), finance's view of all orders."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from aiohttp import web
from pydantic import BaseModel, Field

from services.escrow.adapters.orders import ORDER_LIST
from services.escrow.domain.next_action import order_next_action
from services.escrow.domain.order import Order
from services.escrow.domain.policy import EscrowPolicy
from shared.clock import UtcDateTime
from shared.contracts.escrow import BuyerTier, OrderKind, OrderStatus
from shared.http.pages import Page, PageQuery, party_scope
from shared.http.routes import Api, principal
from shared.money import CurrencyCode, Money
from shared.next_action import NextAction
from shared.paging import any_of
from shared.security.roles import PARTIES, Role
from shared.text import Identifier

from .deps import ORDER_STORE, POLICY

api = Api("orders", requires=(ORDER_STORE, POLICY))


class OrderSort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"


class OrderListQuery(PageQuery):
    """Filters combine (AND); a repeated `status` means any of them (a tab such as "to ship")."""

    status: list[OrderStatus] | None = Field(default=None, fail_fast=True, max_length=len(OrderStatus))
    currency: CurrencyCode | None = None
    placed_from: UtcDateTime | None = Field(default=None, description="Placed at or after (inclusive).")
    placed_before: UtcDateTime | None = Field(default=None, description="Placed before (exclusive).")
    buyer_id: Identifier | None = Field(default=None, description="A supplier's or finance's filter.")
    supplier_id: Identifier | None = Field(default=None, description="A buyer's or finance's filter.")
    sort: OrderSort = OrderSort.NEWEST


class OrderSummary(BaseModel):
    """One row of an order list: enough to choose an order and see whose move it is."""

    order_id: str
    kind: OrderKind
    status: OrderStatus
    buyer_id: str
    supplier_id: str
    buyer_tier: BuyerTier
    total: Money
    paid: Money
    held: Money
    placed_at: UtcDateTime
    next_action: NextAction | None

    @classmethod
    def of(cls, order: Order, policy: EscrowPolicy) -> OrderSummary:
        return cls(
            order_id=order.order_id,
            kind=order.kind,
            status=order.status,
            buyer_id=order.buyer_id,
            supplier_id=order.supplier_id,
            buyer_tier=order.buyer_tier,
            total=order.contract.terms.total,
            paid=order.paid,
            held=order.held,
            placed_at=order.placed_at,
            next_action=order_next_action(order, policy),
        )


class OrderPage(Page[OrderSummary]):
    """A page of orders."""


@api.get("/v1/orders", query=OrderListQuery, response=OrderPage, roles=PARTIES | {Role.FINANCE})
async def list_orders(request: web.Request, query: OrderListQuery) -> OrderPage:
    """The caller's orders (finance: every order), newest first, each with its next action."""
    scope = party_scope(
        principal(request), {Role.BUYER: "buyer_id", Role.SUPPLIER: "supplier_id"}, desk={Role.FINANCE}
    )
    listing = ORDER_LIST.listing(
        scope=scope,
        filters=_filters(query),
        ordering=query.sort,
        limit=query.limit,
        cursor=query.cursor,
    )
    found = await request.app[ORDER_STORE].page(listing)
    policy = request.app[POLICY]
    return OrderPage.of(found, lambda order: OrderSummary.of(order, policy))


def _filters(query: OrderListQuery) -> dict[str, Any]:
    placed: dict[str, datetime] = {}
    if query.placed_from is not None:
        placed["$gte"] = query.placed_from
    if query.placed_before is not None:
        placed["$lt"] = query.placed_before
    return {
        "status": any_of(query.status),
        "currency": query.currency,
        "placed_at": placed or None,
        "buyer_id": query.buyer_id,
        "supplier_id": query.supplier_id,
    }
