"""Finance: balances per currency and the ledger check, then an order search leading to an order's story."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from services.console.charts import Bar, horizontal_bars
from services.console.deps import UPSTREAM
from services.console.desks.funnel import order_funnel
from services.console.formatting import minor
from services.console.operators import desk
from services.console.pages import opens_to, operator, render, see_other

FINANCE = desk("finance")
ORDER_STATUSES = (
    "awaiting_payment",
    "funded",
    "in_production",
    "shipped",
    "delivered",
    "completed",
    "cancelled",
    "frozen",
    "refunded",
    "partially_refunded",
)
SEARCH_FIELDS = ("buyer_id", "supplier_id")
BALANCE_KINDS = (
    ("held", "primary"),
    ("released", "good"),
    ("refunded", "warn"),
    ("compensated", "muted"),
    ("fees", "muted"),
)
routes = web.RouteTableDef()


@routes.get("/finance")
@opens_to(FINANCE)
async def balances(request: web.Request) -> web.Response:
    upstream, token = request.app[UPSTREAM], operator(request).token
    found, check, (counts, funnel_chart) = await asyncio.gather(
        upstream.get("escrow", "/v1/ledger/balances", token),
        upstream.get("escrow", "/v1/ledger/check", token),
        order_funnel(upstream, token),
    )
    charts = [_balance_chart(currency) for currency in found["currencies"]]
    return render(
        request,
        "finance/balances.html",
        balances=found,
        check=check,
        charts=charts,
        funnel=counts,
        funnel_chart=funnel_chart,
        statuses=ORDER_STATUSES,
        search={},
        desk=FINANCE,
    )


@routes.get("/finance/orders")
@opens_to(FINANCE)
async def search(request: web.Request) -> web.Response:
    """By id straight to the order; otherwise the newest orders matching buyer, supplier and status."""
    if order_id := request.query.get("order_id", "").strip():
        return see_other(f"/orders/{order_id}")
    params: dict[str, str | list[str]] = {"limit": "50"}
    for field in SEARCH_FIELDS:
        if value := request.query.get(field, "").strip():
            params[field] = value
    statuses = [status for status in request.query.getall("status", []) if status in ORDER_STATUSES]
    if statuses:
        params["status"] = statuses
    if cursor := request.query.get("cursor"):
        params["cursor"] = cursor
    page = await request.app[UPSTREAM].get("escrow", "/v1/orders", operator(request).token, params)
    search_terms: dict[str, Any] = {field: request.query.get(field, "") for field in SEARCH_FIELDS}
    search_terms["status"] = statuses
    return render(
        request,
        "finance/orders.html",
        page=page,
        search=search_terms,
        statuses=ORDER_STATUSES,
        desk=FINANCE,
    )


def _balance_chart(balances: dict[str, Any]) -> Any:
    currency = balances["currency"]
    bars = [
        Bar(kind, int(balances[kind]), minor(int(balances[kind]), currency), tone)
        for kind, tone in BALANCE_KINDS
    ]
    return horizontal_bars(f"Escrow balances in {currency}", bars)
