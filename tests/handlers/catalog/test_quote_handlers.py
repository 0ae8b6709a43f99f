"""Quotes, rule by rule, with fakes: the MOQ is checked before anything is kept."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services.catalog.domain.errors import ExchangeRateUnavailableError, QuantityBelowMoqError
from services.catalog.domain.product import PriceTier
from services.catalog.domain.quote import QuoteRequest
from shared.money import Money
from tests.support.fakes.catalog import FakeCatalog
from tests.unit.catalog.builders import terms, usd

from .given import listed, registered


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


async def test_a_quote_converts_at_the_providers_current_rate_and_refuses_a_stale_one(
    catalog: FakeCatalog,
) -> None:
    # given a euro listing, and the provider's euro rate published a moment ago
    await registered(catalog, "sup-1")
    euro = terms(
        currency="EUR", tiers=(PriceTier(min_qty=100, unit_price=Money(amount=500, currency="EUR")),)
    )
    product_id = await catalog.catalog.products.publish("sup-1", euro)
    request = QuoteRequest(product_id=product_id, quantity=100, destination="DE")
    catalog.rates.publish("EUR", Decimal("1.25"), catalog.clock.now())
    # when a buyer asks for a quote, then it records that rate and the US$3,000 cap at it
    signed = await catalog.catalog.quotes.issue("b-1", request)
    assert signed.quote.exchange_rate.usd_per_unit == Decimal("1.25")
    assert signed.quote.easy_return.value_cap == Money(amount=240_000, currency="EUR")
    # and once the provider's rate is older than the policy allows, quoting is refused
    catalog.clock.advance(catalog.policy.quotes.exchange_rate_max_age + timedelta(seconds=1))
    with pytest.raises(ExchangeRateUnavailableError):
        await catalog.catalog.quotes.issue("b-1", request)
