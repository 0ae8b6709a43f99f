"""Limits defined in USD convert at one recorded rate, exact to the minor unit of every currency."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from shared.money import CurrencyMismatch, ExchangeRate, Money

AS_OF = datetime(2026, 3, 1, 12, tzinfo=UTC)
MAX_AGE = timedelta(hours=24)


def rate(currency: str, usd_per_unit: str) -> ExchangeRate:
    return ExchangeRate(currency=currency, usd_per_unit=Decimal(usd_per_unit), source="sandbox", as_of=AS_OF)


def usd(cents: int) -> Money:
    return Money(amount=cents, currency="USD")


@pytest.mark.parametrize(
    ("currency", "usd_per_unit", "minor"),
    [
        ("JPY", "0.0066666667", 15_000),  # zero decimals: US$100 is 15 000 yen
        ("EUR", "1.08", 9_259),  # two decimals: 92.592… € rounds to 92.59
        ("KWD", "3.25", 30_769),  # three decimals: 30.7692… KWD rounds to 30.769
    ],
)
def test_usd_caps_convert_exact_to_the_minor_unit(currency: str, usd_per_unit: str, minor: int) -> None:
    # given a recorded rate
    # when the US$100 compensation cap is converted into the order's currency
    cap = rate(currency, usd_per_unit).from_usd(usd(10_000))
    # then it is an integer amount of that currency's own minor unit
    assert cap == Money(amount=minor, currency=currency)


def test_conversion_rounds_half_up_at_the_minor_unit() -> None:
    # given 1 USD = 2 units of a zero-decimal currency (0.5 USD per unit)
    half = rate("JPY", "0.5")
    # when whole yen convert, then 1 yen is 0.50 USD and 3 yen 1.50 USD, exactly
    assert half.to_usd(Money(amount=1, currency="JPY")) == usd(50)
    assert half.to_usd(Money(amount=3, currency="JPY")) == usd(150)
    # and a half minor unit rounds up, just below half rounds down
    assert rate("EUR", "1.005").to_usd(Money(amount=1, currency="EUR")) == usd(1)  # 1.005 cents
    assert rate("EUR", "1.5").to_usd(Money(amount=1, currency="EUR")) == usd(2)  # 1.5 cents
    assert rate("EUR", "1.49").to_usd(Money(amount=1, currency="EUR")) == usd(1)  # 1.49 cents


def test_a_rate_converts_only_its_own_currency() -> None:
    with pytest.raises(CurrencyMismatch):
        rate("EUR", "1.08").to_usd(Money(amount=100, currency="GBP"))
    with pytest.raises(CurrencyMismatch):
        rate("EUR", "1.08").from_usd(Money(amount=100, currency="EUR"))


def test_a_rate_is_stale_one_instant_after_its_maximum_age() -> None:
    eur = rate("EUR", "1.08")
    assert not eur.is_stale(AS_OF + MAX_AGE, MAX_AGE)
    assert eur.is_stale(AS_OF + MAX_AGE + timedelta(microseconds=1), MAX_AGE)


def test_usd_is_its_own_rate_and_never_stale() -> None:
    identity = ExchangeRate.usd(AS_OF)
    assert identity.from_usd(usd(10_000)) == usd(10_000)
    assert not identity.is_stale(AS_OF + timedelta(days=3650), MAX_AGE)
