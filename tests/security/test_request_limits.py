"""Requests cannot make a service read or scan without bound.

A body over `max_body_bytes` is refused with 413 before any handler runs (authenticated endpoints and the
public provider webhooks alike); list endpoints clamp or refuse a huge page size, refuse offsets and pages
they do not offer, and refuse a forged cursor, always with a problem document.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from deploy.journey import money
from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from services.catalog.settings import CatalogSettings
from shared.settings import ServiceSettings
from tests.security.probe import send
from tests.security.trade import Trade

HUGE = str(10**12)
MAX_BODY_BYTES = ServiceSettings().max_body_bytes
MAX_PAGE_SIZE = CatalogSettings().search_max_page_size

# (service, method, path, rightful party) — a mutation each service accepts from that party, and webhooks.
BODY_TARGETS = [
    ("catalog", "PATCH", "/v1/products/{product_id}", "supplier"),
    ("escrow", "POST", "/v1/orders/{order_id}/cancel", "buyer"),
    ("logistics", "POST", "/v1/shipments/{shipment_id}/dispatch", "supplier"),
    ("disputes", "POST", "/v1/orders/{order_id}/messages", "buyer"),
    ("escrow", "POST", "/v1/payment-provider/webhooks", None),
    ("logistics", "POST", "/v1/carriers/ups/webhooks", None),
    ("logistics", "POST", "/v1/inspection-agencies/sgs/webhooks", None),
]


@pytest.mark.parametrize(
    ("service", "method", "path", "party"), BODY_TARGETS, ids=[t[2] for t in BODY_TARGETS]
)
async def test_a_body_over_the_size_limit_is_refused_with_413_and_changes_nothing(
    trade: Trade, service: str, method: str, path: str, party: str | None
) -> None:
    # Given a trade and a JSON body one byte over the limit
    before = await trade.state()
    token = {"buyer": trade.completed.buyer, "supplier": trade.seller.supplier}.get(party or "")
    padding = "x" * MAX_BODY_BYTES
    body = f'{{"body": "{padding}"}}'.encode()
    assert len(body) > MAX_BODY_BYTES

    # When it is sent
    answer = await send(
        trade.client,
        service,
        method,
        trade.fill(path),
        token=token,
        data=body,
        headers={"Content-Type": "application/json"},
    )

    # Then it is refused as too large, and nothing changes
    assert answer.is_problem(413), answer
    assert await trade.state() == before


REVIEW_LISTS = ["/v1/products/{product_id}/reviews", "/v1/suppliers/{supplier_id}/reviews"]


@pytest.mark.parametrize("path", REVIEW_LISTS)
@pytest.mark.parametrize(
    "query",
    [{"limit": HUGE}, {"limit": "0"}, {"limit": "-1"}, {"offset": HUGE}, {"page": HUGE}],
    ids=["huge-limit", "zero-limit", "negative-limit", "offset", "page"],
)
async def test_review_lists_refuse_pages_beyond_their_cap(
    trade: Trade, path: str, query: dict[str, str]
) -> None:
    answer = await send(
        trade.client, "catalog", "GET", trade.fill(path), token=trade.completed.buyer, params=query
    )
    assert answer.is_problem(422), answer


@pytest.mark.parametrize(
    "query",
    [{"limit": HUGE}, {"limit": "0"}, {"after_seq": "-1"}, {"offset": HUGE}, {"page": HUGE}],
    ids=["huge-limit", "zero-limit", "negative-cursor", "offset", "page"],
)
async def test_an_order_conversation_refuses_pages_beyond_its_cap(
    trade: Trade, query: dict[str, str]
) -> None:
    path = trade.fill("/v1/orders/{order_id}/messages")
    answer = await send(trade.client, "disputes", "GET", path, token=trade.completed.buyer, params=query)
    assert answer.is_problem(422), answer


@pytest.mark.parametrize(
    "query",
    [{"limit": "0"}, {"offset": HUGE}, {"page": HUGE}, {"cursor": "x" * 2_000}, {"cursor": "not-a-cursor"}],
    ids=["zero-limit", "offset", "page", "oversized-cursor", "forged-cursor"],
)
async def test_search_refuses_offsets_pages_and_forged_cursors(trade: Trade, query: dict[str, str]) -> None:
    answer = await send(
        trade.client, "catalog", "GET", "/v1/products", token=trade.completed.buyer, params=query
    )
    assert answer.is_problem(400) or answer.is_problem(422), answer


async def test_search_clamps_a_huge_page_size_to_the_service_maximum(
    client: PlatformClient, trade: Trade
) -> None:
    # Given one more matching product than the largest page
    keyword = f"clamp{uuid.uuid4().hex[:8]}"
    await asyncio.gather(*(list_product(trade, keyword, n) for n in range(MAX_PAGE_SIZE + 1)))
    search = {"q": keyword, "limit": HUGE}
    pages: list[dict[str, Any]] = []

    async def all_indexed() -> bool:
        first = await client.call(
            "catalog", "GET", "/v1/products", token=trade.completed.buyer, params=search
        )
        if first["next_cursor"] is None:
            return False
        rest = await client.call(
            "catalog",
            "GET",
            "/v1/products",
            token=trade.completed.buyer,
            params={**search, "cursor": first["next_cursor"]},
        )
        pages[:] = [first, rest]
        return len(rest["items"]) == 1

    # When the buyer asks for a trillion of them at once
    await eventually(all_indexed)

    # Then the service answers one capped page and a cursor to the rest
    assert [len(page["items"]) for page in pages] == [MAX_PAGE_SIZE, 1]


async def list_product(trade: Trade, keyword: str, number: int) -> None:
    terms = {
        "title": f"Bamboo {keyword} cutting board {number}",
        "category_id": "kitchen-tools",
        "parent_category_id": "kitchen",
        "moq": 50,
        "order_multiple": 10,
        "currency": "USD",
        "tiers": [{"min_qty": 50, "unit_price": money(120)}],
    }
    await trade.client.call("catalog", "POST", "/v1/products", token=trade.seller.supplier, json=terms)
