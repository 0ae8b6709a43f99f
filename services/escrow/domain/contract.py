"""The contract snapshot of an order: locked-in terms, immutable, amended only by new accepted versions."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.clock import UtcDateTime
from shared.contracts.catalog import AfterSalesLabel
from shared.contracts.escrow import OrderKind, ProtectionTerms
from shared.money import Money, Quantity, computing
from shared.text import PlainText

from .errors import QuoteRequiredError
from .terms import Incoterm, Party


class DocumentHash(BaseModel):
    """An agreement the buyer uploaded, pinned by its SHA-256 so later edits are detectable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: PlainText = Field(min_length=1, max_length=200)
    sha256: str = Field(max_length=64, pattern=r"^[0-9a-f]{64}$")


class ContractTerms(BaseModel):
    """What buyer and supplier agreed: price lock-in from the quote, specs, shipping and service terms."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    quote_id: str | None = None
    product_id: str = Field(min_length=1)
    product_specs: dict[str, str] = Field(default_factory=dict)
    quantity: Quantity
    unit_price: Money
    shipping: Money
    incoterm: Incoterm
    destination_country: str = Field(max_length=2, pattern=r"^[A-Z]{2}$")
    destination_timezone: str
    handling_time: timedelta = Field(description="Payment to dispatch deadline.")
    transit_days: int = Field(ge=1, description="Calendar days in the destination from dispatch deadline.")
    inspection_required: bool = False
    after_sales: tuple[AfterSalesLabel, ...] = ()
    documents: tuple[DocumentHash, ...] = ()
    # Frozen at placement and carried unchanged into every amended version.
    protection: ProtectionTerms
    # Guaranteed orders travel on one route of logistics' table; the supplier ships from `origin_country`.
    route_id: str | None = None
    origin_country: str | None = Field(default=None, max_length=2, pattern=r"^[A-Z]{2}$")

    @field_validator("destination_timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r}") from None
        return name

    @model_validator(mode="after")
    def _consistent(self) -> ContractTerms:
        if self.unit_price.amount <= 0 or self.shipping.amount < 0:
            raise ValueError("unit price must be positive and shipping not negative")
        if self.shipping.currency != self.unit_price.currency:
            raise ValueError("unit price and shipping must be in one currency")
        if self.protection.currency != self.unit_price.currency:
            raise ValueError(f"the order stays in {self.protection.currency}, the currency of its rate")
        if self.handling_time <= timedelta(0):
            raise ValueError("handling time must be positive")
        # Checked when the terms are made, not when the order is paid: an unpayable contract is refused.
        with computing("total"):
            self.total  # noqa: B018 (computed for its bound check)
        return self

    @property
    def total(self) -> Money:
        """What the buyer pays: quantity × unit price + shipping."""
        return self.unit_price.times(self.quantity) + self.shipping

    @property
    def currency(self) -> str:
        return self.unit_price.currency


class Contract(BaseModel):
    """One agreed version of the terms; version 1 is agreed when the order is placed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(ge=1)
    terms: ContractTerms
    agreed_at: UtcDateTime


class ContractAmendment(BaseModel):
    """Proposed terms waiting for the other party; they become the next contract version on acceptance."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(ge=2)
    terms: ContractTerms
    proposed_by: Party
    proposed_at: UtcDateTime


def check_terms_for_kind(kind: OrderKind, terms: ContractTerms) -> None:
    """Standard and sample orders need a quote; Guaranteed orders are placed at the fixed landed price."""
    if kind is not OrderKind.GUARANTEED and terms.quote_id is None:
        raise QuoteRequiredError(f"a {kind.value} order must be placed from a quote")
