"""What the catalog counts from other services' events, with fakes: each fact once per order."""

from __future__ import annotations

from tests.support.fakes.catalog import FakeCatalog

from .given import dispatched, funds_released, listed, receipt_confirmed


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


async def test_a_fact_that_leaves_the_on_time_rate_as_it_was_restates_no_copy_of_the_standing(
    catalog: FakeCatalog,
) -> None:
    product_id = await listed(catalog)
    await catalog.deliver(dispatched(catalog, "o-1", on_time=True))
    assert catalog.suppliers.standings["sup-1"].supplier.on_time_bps == 10_000
    assert (await catalog.product(product_id)).supplier.on_time_bps == 10_000

    catalog.suppliers.standings.clear()
    await catalog.deliver(dispatched(catalog, "o-2", on_time=True))  # still 100 % on time
    await catalog.deliver(receipt_confirmed(catalog, "o-1", product_id))  # completions are not in it
    assert "sup-1" not in catalog.suppliers.standings

    await catalog.deliver(dispatched(catalog, "o-3", on_time=False))  # 2 of 3: the rate moves
    assert catalog.suppliers.standings["sup-1"].supplier.on_time_bps == 6_666
    assert (await catalog.product(product_id)).supplier.on_time_bps == 6_666
