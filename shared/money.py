"""Money as integer minor units of an ISO-4217 currency; never floats."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator

# ISO-4217 minor-unit exponents. Currencies absent here are rejected rather than guessed.
CURRENCY_EXPONENTS: dict[str, int] = {
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "CNY": 2,
    "HKD": 2,
    "AUD": 2,
    "CAD": 2,
    "CHF": 2,
    "SGD": 2,
    "INR": 2,
    "MXN": 2,
    "BRL": 2,
    "PLN": 2,
    "CZK": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "AED": 2,
    "SAR": 2,
    "ILS": 2,
    "TRY": 2,
    "THB": 2,
    "VND": 0,
    "JPY": 0,
    "KRW": 0,
    "CLP": 0,
    "ISK": 0,
    "KWD": 3,
    "BHD": 3,
    "OMR": 3,
    "JOD": 3,
    "TND": 3,
}

CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["USD"])]


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined."""


def exponent(currency: str) -> int:
    """Number of decimal places of the currency's minor unit (JPY 0, USD 2, KWD 3)."""
    try:
        return CURRENCY_EXPONENTS[currency]
    except KeyError:
        raise ValueError(f"unsupported currency {currency!r}") from None


class Money(BaseModel):
    """An amount in minor units (cents, fils, yen) of one currency. Immutable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: int = Field(description="Amount in the currency's minor units (integer).")
    currency: CurrencyCode

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        exponent(value)
        return value

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(amount=0, currency=currency)

    @classmethod
    def from_major(cls, major: str, currency: str) -> Money:
        """Parse a decimal string in major units ("12.34" USD → 1234); rejects excess precision."""
        places = exponent(currency)
        whole, _, frac = major.strip().partition(".")
        if len(frac) > places:
            raise ValueError(f"{major!r} has more than {places} decimals for {currency}")
        sign = -1 if whole.startswith("-") else 1
        minor = abs(int(whole or "0")) * 10**places + int((frac or "0").ljust(places, "0") or "0")
        return cls(amount=sign * minor, currency=currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} vs {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(amount=self.amount - other.amount, currency=self.currency)

    def __neg__(self) -> Money:
        return Money(amount=-self.amount, currency=self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def times(self, quantity: int) -> Money:
        return Money(amount=self.amount * quantity, currency=self.currency)

    def fraction_bps(self, basis_points: int) -> Money:
        """This amount × basis_points / 10 000, rounded half-up to the minor unit (fees, caps)."""
        numerator = self.amount * basis_points
        quotient, remainder = divmod(abs(numerator), 10_000)
        if remainder * 2 >= 10_000:
            quotient += 1
        return Money(amount=quotient if numerator >= 0 else -quotient, currency=self.currency)

    def min(self, other: Money) -> Money:
        self._same(other)
        return self if self.amount <= other.amount else other

    def format(self) -> str:
        """Human-readable major units, e.g. '12.34 USD', '1200 JPY', '1.500 KWD'."""
        places = exponent(self.currency)
        sign = "-" if self.amount < 0 else ""
        whole, frac = divmod(abs(self.amount), 10**places) if places else (abs(self.amount), 0)
        text = f"{whole}.{frac:0{places}d}" if places else str(whole)
        return f"{sign}{text} {self.currency}"

    def with_amount(self, amount: int) -> Self:
        return self.model_copy(update={"amount": amount})
