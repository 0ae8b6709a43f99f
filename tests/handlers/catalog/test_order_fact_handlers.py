"""What the catalog counts from other services' events, with fakes: each fact once per order."""

from __future__ import annotations

from tests.support.fakes.catalog import FakeCatalog

from .given import funds_released, listed, receipt_confirmed


async def test_an_escrow_event_delivered_twice_counts_once_in_the_supplier_metrics(
    catalog: FakeCatalog,
) -> None:
    product_id = await listed(catalog)
    confirmed = receipt_confirmed(catalog, "o-1", product_id)
    await catalog.deliver(confirmed)
    await catalog.deliver(confirmed)
    await catalog.deliver(funds_released(catalog, "o-1"))  # the same order completing, told another way

    metrics = await catalog.metrics.metrics("sup-1")
    assert (metrics.orders, metrics.completed_orders) == (1, 1)
    assert (await catalog.product(product_id)).orders == 1
