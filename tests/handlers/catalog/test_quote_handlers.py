"""Quotes, rule by rule, with fakes: the MOQ is checked before anything is kept."""

from __future__ import annotations

import pytest

from services.catalog.domain.errors import QuantityBelowMoqError
from services.catalog.domain.quote import QuoteRequest
from tests.support.fakes.catalog import FakeCatalog
from tests.unit.catalog.builders import usd

from .given import listed


async def test_a_quote_below_the_moq_is_refused_and_changes_nothing(catalog: FakeCatalog) -> None:
    product_id = await listed(catalog)
    committed = catalog.uow.committed
    with pytest.raises(QuantityBelowMoqError):
        await catalog.catalog.quotes.issue(
            "b-1", QuoteRequest(product_id=product_id, quantity=90, destination="US")
        )
    assert catalog.quotes.issued == {}
    assert catalog.uow.committed == committed


async def test_a_quote_locks_the_tier_price_of_its_quantity_and_is_kept_as_signed(
    catalog: FakeCatalog,
) -> None:
    product_id = await listed(catalog)
    signed = await catalog.catalog.quotes.issue(
        "b-1", QuoteRequest(product_id=product_id, quantity=500, destination="US")
    )
    assert (signed.quote.unit_price, signed.quote.goods_total) == (usd(450), usd(450 * 500))
    assert catalog.quotes.issued == {signed.quote.id: (signed.quote, signed.token)}
