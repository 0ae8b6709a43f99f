"""The sandbox rate provider publishes a rate, with its time, for every currency the platform accepts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services.catalog.adapters.exchange_rates import SandboxExchangeRates, UnconfiguredExchangeRates
from services.catalog.domain.errors import ExchangeRateUnavailableError
from shared.clock import ManualClock
from shared.money import CURRENCY_EXPONENTS
from tests.unit.catalog.builders import NOW


async def test_the_sandbox_provider_rates_every_accepted_currency_as_of_now() -> None:
    # given the sandbox provider on the platform's clock
    rates = SandboxExchangeRates(ManualClock(NOW))
    # when each accepted currency is asked for
    for currency in CURRENCY_EXPONENTS:
        rate = await rates.usd_rate(currency)
        # then it has a positive rate, stamped with the time it was published
        assert (rate.currency, rate.as_of) == (currency, NOW)
        assert rate.usd_per_unit > 0


async def test_a_rate_published_earlier_keeps_its_time() -> None:
    rates = SandboxExchangeRates(ManualClock(NOW))
    rates.publish("EUR", Decimal("1.1"), NOW - timedelta(days=3))
    assert (await rates.usd_rate("EUR")).as_of == NOW - timedelta(days=3)


async def test_a_currency_without_a_rate_is_unavailable() -> None:
    rates = SandboxExchangeRates(ManualClock(NOW), rates={})
    with pytest.raises(ExchangeRateUnavailableError):
        await rates.usd_rate("EUR")


async def test_outside_sandbox_mode_no_rate_is_guessed() -> None:
    # given no market-data provider configured (the sandbox one serves sandbox mode only)
    # then a rate is refused, so a quote is refused rather than promising caps at an invented rate
    with pytest.raises(ExchangeRateUnavailableError):
        await UnconfiguredExchangeRates().usd_rate("EUR")
