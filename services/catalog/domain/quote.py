"""Price lock-in quotes: immutable, expiring, and serialised canonically so escrow can verify a signature."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from services.catalog.domain.errors import QuoteExpiredError
from services.catalog.domain.policy import QuotePolicy
from services.catalog.domain.pricing import price_quantity
from services.catalog.domain.product import AfterSalesLabel, Product
from services.catalog.domain.red_flags import RiskSignal
from shared.money import Money


class Quote(BaseModel):
    """The locked terms of (product, quantity, destination) for one buyer, valid until `expires_at`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    product_id: str
    supplier_id: str
    buyer_id: str
    quantity: int = Field(ge=1)
    destination: str = Field(pattern=r"^[A-Z]{2}$")
    unit_price: Money
    tier_min_qty: int
    goods_total: Money
    shipping: Money | None
    total: Money
    trade_assurance: bool
    guaranteed_dispatch_within: timedelta | None
    easy_return: bool
    after_sales: tuple[AfterSalesLabel, ...]
    risk_signals: tuple[RiskSignal, ...]
    issued_at: AwareDatetime
    expires_at: AwareDatetime

    @field_validator("issued_at", "expires_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        # One instant must have one spelling, or the signed bytes would differ between producer and verifier.
        return value.astimezone(UTC)


class QuoteRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    product_id: str
    quantity: int = Field(ge=1)
    destination: str = Field(pattern=r"^[A-Z]{2}$")


def issue_quote(
    quote_id: str,
    product: Product,
    buyer_id: str,
    request: QuoteRequest,
    shipping: Money | None,
    risk_signals: tuple[RiskSignal, ...],
    policy: QuotePolicy,
    now: datetime,
) -> Quote:
    """Risk signals travel with the quote so that they are never hidden from the buyer."""
    price = price_quantity(product, request.quantity, shipping)
    return Quote(
        id=quote_id,
        product_id=product.id,
        supplier_id=product.supplier_id,
        buyer_id=buyer_id,
        quantity=request.quantity,
        destination=request.destination,
        unit_price=price.unit_price,
        tier_min_qty=price.tier_min_qty,
        goods_total=price.goods_total,
        shipping=price.shipping,
        total=price.total,
        trade_assurance=product.trade_assurance,
        guaranteed_dispatch_within=product.guaranteed.dispatch_within if product.guaranteed else None,
        easy_return=product.easy_return,
        after_sales=tuple(sorted(product.after_sales)),
        risk_signals=risk_signals,
        issued_at=now,
        expires_at=now + policy.validity,
    )


def ensure_quote_current(quote: Quote, now: datetime) -> Quote:
    if now >= quote.expires_at:
        raise QuoteExpiredError(f"quote {quote.id} expired at {quote.expires_at.isoformat()}")
    return quote


def canonical_quote_bytes(quote: Quote) -> bytes:
    """UTF-8 JSON with sorted keys and no whitespace: the exact bytes that are signed and verified."""
    document = quote.model_dump(mode="json")
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
