"""Money as integer minor units of an ISO-4217 currency; never floats. Amounts and quantities are bounded.

MAX_MINOR_UNITS (10**15: ten trillion dollars in cents) is far above any order a buyer can place, yet below
2**53, so every JSON client (JavaScript's numbers too) reads an amount exactly, and thousands of amounts sum
without leaving MongoDB's 64-bit integers. MAX_QUANTITY (10**9 units) bounds what one order line can hold,
so that a bounded unit price times a bounded quantity is an ordinary integer to check, never an overflow.
No `Money` can hold more: arithmetic that would leave the bounds raises `AmountOutOfRange`, a 422.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, ClassVar, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from shared.clock import UtcDateTime
from shared.errors import Rejected

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

CurrencyCode = Annotated[str, Field(max_length=3, pattern=r"^[A-Z]{3}$", examples=["USD"])]

MAX_MINOR_UNITS = 10**15
MAX_QUANTITY = 10**9
# Strict: a JSON `true`, `"100"` or `1E2` is not an amount (pydantic would otherwise coerce each one).
MinorUnits = Annotated[
    int,
    Field(
        strict=True,
        ge=-MAX_MINOR_UNITS,
        le=MAX_MINOR_UNITS,
        description=f"Amount in the currency's minor units (integer, at most {MAX_MINOR_UNITS} in size).",
    ),
]
Quantity = Annotated[
    int, Field(strict=True, ge=1, le=MAX_QUANTITY, description="A count of units (integer).")
]


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined."""

    code: ClassVar[str] = "currency_mismatch"


class AmountOutOfRange(Rejected):
    """A computed amount (a total, a refund) would leave ±MAX_MINOR_UNITS; `field` names it once known."""

    code = "amount_out_of_range"

    def __init__(self, amount: int, field: str | None = None) -> None:
        super().__init__(f"{amount} minor units is outside the supported range of ±{MAX_MINOR_UNITS}")
        self.amount = amount
        self.field = field


@contextmanager
def computing(field: str) -> Iterator[None]:
    """Name `field` in the AmountOutOfRange raised by the arithmetic inside the block (a total, a refund)."""
    try:
        yield
    except AmountOutOfRange as error:
        raise AmountOutOfRange(error.amount, field) from None


def exponent(currency: str) -> int:
    """Number of decimal places of the currency's minor unit (JPY 0, USD 2, KWD 3)."""
    try:
        return CURRENCY_EXPONENTS[currency]
    except KeyError:
        raise ValueError(f"unsupported currency {currency!r}") from None


def _supported(currency: str) -> str:
    exponent(currency)
    return currency


# A currency the platform can hold money in: its minor unit is known.
SupportedCurrency = Annotated[CurrencyCode, AfterValidator(_supported)]


class Money(BaseModel):
    """An amount in minor units (cents, fils, yen) of one currency. Immutable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: MinorUnits
    currency: SupportedCurrency

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
        return self._of(self.amount + other.amount)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return self._of(self.amount - other.amount)

    def __neg__(self) -> Money:
        return self._of(-self.amount)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def times(self, quantity: int) -> Money:
        return self._of(self.amount * quantity)

    def fraction_bps(self, basis_points: int) -> Money:
        """This amount × basis_points / 10 000, rounded half-up to the minor unit (fees, caps)."""
        numerator = self.amount * basis_points
        quotient, remainder = divmod(abs(numerator), 10_000)
        if remainder * 2 >= 10_000:
            quotient += 1
        return self._of(quotient if numerator >= 0 else -quotient)

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
        return self.model_copy(update={"amount": self._of(amount).amount})

    def _of(self, amount: int) -> Money:
        """A result of arithmetic on this amount: the bound is checked here, not left to a later save."""
        if not -MAX_MINOR_UNITS <= amount <= MAX_MINOR_UNITS:
            raise AmountOutOfRange(amount)
        return Money(amount=amount, currency=self.currency)


class ExchangeRate(BaseModel):
    """What one major unit of `currency` is worth in USD, as `source` published it at `as_of`.

    Frozen into a quote and its contract, so that every limit defined in USD converts at one rate for the
    life of the order, whichever service applies it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    currency: SupportedCurrency
    usd_per_unit: Decimal = Field(gt=0, max_digits=18, decimal_places=12)
    source: str = Field(min_length=1, max_length=100)
    as_of: UtcDateTime

    @classmethod
    def usd(cls, at: datetime) -> ExchangeRate:
        """The rate of USD to itself: exact, and never stale."""
        return cls(currency="USD", usd_per_unit=Decimal(1), source="identity", as_of=at)

    def is_stale(self, now: datetime, max_age: timedelta) -> bool:
        """A USD amount is its own rate forever; any other rate ages past `max_age` (inclusive bound)."""
        return self.source != "identity" and now - self.as_of > max_age

    def to_usd(self, amount: Money) -> Money:
        """`amount` (in this rate's currency) in USD, half-up to the cent."""
        _require(amount, self.currency)
        return _in_minor_units(_major(amount) * self.usd_per_unit, "USD")

    def from_usd(self, amount: Money) -> Money:
        """A USD amount (a cap, a limit) in this rate's currency, half-up to its minor unit."""
        _require(amount, "USD")
        return _in_minor_units(_major(amount) / self.usd_per_unit, self.currency)


def _require(amount: Money, currency: str) -> None:
    if amount.currency != currency:
        raise CurrencyMismatch(f"{amount.currency} vs {currency}")


def _major(amount: Money) -> Decimal:
    return Decimal(amount.amount).scaleb(-exponent(amount.currency))


def _in_minor_units(major: Decimal, currency: str) -> Money:
    """Rounded once, half-up, at the currency's own minor unit: exact for 0-, 2- and 3-decimal currencies."""
    minor = major.scaleb(exponent(currency)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Money.zero(currency).with_amount(int(minor))
