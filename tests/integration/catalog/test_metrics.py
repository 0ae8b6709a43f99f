"""Supplier metrics from logistics', escrow's and disputes' events, each fact counted once per order."""

from __future__ import annotations

from typing import Any

import pytest

from deploy.local.polling import eventually
from tests.integration.catalog.events import (
    claim_opened,
    delivered,
    dispatch_missed,
    dispatched,
    receipt_confirmed,
    refund_issued,
)
from tests.integration.catalog.support import Catalog
from tests.support.services import EventInjector


@pytest.fixture
def catalog_overrides() -> dict[str, Any]:
    # Two orders are enough to judge a dispute rate here (default: 10).
    return {"policy": {"red_flags": {"dispute_rate_min_orders": 2}}}


async def test_supplier_metrics_count_each_order_fact_once(catalog: Catalog, inject: EventInjector) -> None:
    await catalog.register("sup-a")
    product_id = await catalog.list_product("sup-a")
    events = [
        dispatched("o-1", "sup-a", on_time=True),
        delivered("o-1", "sup-a", on_time=True),
        receipt_confirmed("o-1", "sup-a", product_id),
        dispatch_missed("o-2", "sup-a"),
        dispatched("o-2", "sup-a", on_time=False),  # the late dispatch itself: the same fact
        dispatched("o-2", "sup-a", on_time=False),  # a redelivery under a new message id
        delivered("o-2", "sup-a", on_time=False),
        claim_opened("o-2", "sup-a"),
        refund_issued("o-2", "sup-a"),
    ]
    for event in events:
        await inject.publish(event)
    expected = {
        "orders": 2,
        "completed_orders": 1,
        "on_time_dispatch_bps": 5_000,
        "on_time_delivery_bps": 5_000,
        "dispute_rate_bps": 5_000,
        "refund_rate_bps": 5_000,
    }

    async def counted() -> bool:
        view = await catalog.ok("GET", "/v1/suppliers/sup-a", catalog.officer)
        return bool(view["metrics"] == expected)

    await eventually(counted)
    # the on-time rate reaches the supplier's products in search
    page = await catalog.search(explain=True)
    assert page["items"][0]["id"] == product_id
    assert page["items"][0]["supplier"]["on_time_bps"] == 5_000


async def test_a_high_dispute_rate_is_a_red_flag(catalog: Catalog, inject: EventInjector) -> None:
    await catalog.register("sup-a")
    for order_id in ("o-1", "o-2"):
        await inject.publish(claim_opened(order_id, "sup-a"))

    async def flagged() -> bool:
        view = await catalog.ok("GET", "/v1/suppliers/sup-a", catalog.officer)
        return "high_dispute_rate" in [signal["code"] for signal in view["risk_signals"]]

    await eventually(flagged)
