"""The exchange-rate provider port, and its sandbox adapter: rates are data, each with the time it was set.

A quote converts its USD limits at the rate it got here and records it; nothing downstream asks again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from services.catalog.domain.errors import ExchangeRateUnavailableError
from shared.clock import Clock
from shared.money import ExchangeRate

SANDBOX_RATES_FILE = Path(__file__).with_name("sandbox_rates.json")
SANDBOX_SOURCE = "sandbox"


class ExchangeRates(Protocol):
    async def usd_rate(self, currency: str) -> ExchangeRate:
        """The latest USD rate of `currency` with its time; `ExchangeRateUnavailableError` if none."""
        ...


def sandbox_rates(path: Path = SANDBOX_RATES_FILE) -> dict[str, Decimal]:
    """USD per major unit of each accepted currency, as the sandbox provider publishes them."""
    return {
        currency: Decimal(text) for currency, text in json.loads(path.read_text())["usd_per_unit"].items()
    }


class UnconfiguredExchangeRates:
    """Outside sandbox mode until a market-data provider's adapter is configured: refuses, never guesses."""

    async def usd_rate(self, currency: str) -> ExchangeRate:
        raise ExchangeRateUnavailableError(
            "no exchange-rate provider is configured (set CATALOG_SANDBOX=true to use the sandbox rates)"
        )


class SandboxExchangeRates:
    """Behaves like a provider refreshing its rates continuously: a rate not published by hand is as of now.
    `publish` sets one rate at a chosen time, so a journey can hold an old rate and see quotes refused."""

    def __init__(self, clock: Clock, rates: Mapping[str, Decimal] | None = None) -> None:
        self._clock = clock
        self._rates = dict(sandbox_rates() if rates is None else rates)
        self._published: dict[str, ExchangeRate] = {}

    def publish(self, currency: str, usd_per_unit: Decimal, as_of: datetime) -> None:
        self._published[currency] = ExchangeRate(
            currency=currency, usd_per_unit=usd_per_unit, source=SANDBOX_SOURCE, as_of=as_of
        )

    async def usd_rate(self, currency: str) -> ExchangeRate:
        now = self._clock.now()
        if currency == "USD":
            return ExchangeRate.usd(now)
        if currency in self._published:
            return self._published[currency]
        if currency not in self._rates:
            raise ExchangeRateUnavailableError(f"the rate provider publishes no {currency} rate")
        return ExchangeRate(
            currency=currency, usd_per_unit=self._rates[currency], source=SANDBOX_SOURCE, as_of=now
        )
