"""Price lock-in quotes: immutable, expiring, and serialised canonically so escrow can verify a signature."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from services.catalog.domain.easy_return import easy_return_terms, no_easy_return
from services.catalog.domain.errors import (
    ExchangeRateUnavailableError,
    InvalidFieldError,
    QuoteExpiredError,
)
from services.catalog.domain.policy import QuotePolicy
from services.catalog.domain.pricing import price_quantity
from services.catalog.domain.product import Product
from services.catalog.domain.shipping import LandedShipping
from shared.contracts.catalog import EasyReturnOffer, Quote, QuoteKind, RiskSignal
from shared.money import ExchangeRate, computing


class QuoteStatus(StrEnum):
    """Whether a quote can still become an order; escrow's acceptance of it is not known here."""

    VALID = "valid"
    EXPIRED = "expired"


class QuoteRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    product_id: str = Field(min_length=1)
    quantity: int = Field(ge=1)
    destination: str = Field(max_length=2, pattern=r"^[A-Z]{2}$")
    kind: QuoteKind = "standard"


def issue_quote(
    quote_id: str,
    product: Product,
    buyer_id: str,
    request: QuoteRequest,
    shipping: LandedShipping | None,
    risk_signals: tuple[RiskSignal, ...],
    policy: QuotePolicy,
    now: datetime,
    rate: ExchangeRate,
    origin: str,
) -> Quote:
    """Risk signals travel with the quote so that they are never hidden from the buyer; the rate and the
    Easy Return decision travel with it so that no later step decides them again from other data."""
    current = usable_rate(rate, product.currency, now, policy)
    price = price_quantity(product, request.quantity, shipping.price if shipping else None)
    landed = shipping if price.shipping is not None else None
    easy_return = easy_return_terms(product, request.destination, price.total, current, policy.easy_return)
    return Quote(
        id=quote_id,
        product_id=product.id,
        supplier_id=product.supplier_id,
        buyer_id=buyer_id,
        title=product.title,
        category=product.category_id,
        origin=origin,
        quantity=request.quantity,
        destination=request.destination,
        unit_price=price.unit_price,
        tier_min_qty=price.tier_min_qty,
        goods_total=price.goods_total,
        shipping=price.shipping,
        total=price.total,
        route_id=landed.route_id if landed else None,
        transit_days=landed.transit_days if landed else None,
        destination_timezone=landed.destination_timezone if landed else None,
        trade_assurance=product.trade_assurance,
        guaranteed_dispatch_within=product.guaranteed.dispatch_within if product.guaranteed else None,
        easy_return=easy_return,
        exchange_rate=current,
        after_sales=tuple(sorted(product.after_sales)),
        risk_signals=risk_signals,
        issued_at=now,
        expires_at=now + policy.validity,
    )


def issue_sample_quote(
    quote_id: str,
    product: Product,
    buyer_id: str,
    request: QuoteRequest,
    risk_signals: tuple[RiskSignal, ...],
    policy: QuotePolicy,
    now: datetime,
    rate: ExchangeRate,
    origin: str,
) -> Quote:
    """Samples are priced by the sample offer, below the MOQ, and ship outside the Guaranteed promise."""
    current = usable_rate(rate, product.currency, now, policy)
    sample = product.sample
    if sample is None:
        raise InvalidFieldError("kind", "this product offers no samples")
    if request.quantity > sample.max_qty:
        raise InvalidFieldError("quantity", f"at most {sample.max_qty} samples")
    with computing("total"):
        goods_total = sample.unit_price.times(request.quantity)
    return Quote(
        id=quote_id,
        kind="sample",
        product_id=product.id,
        supplier_id=product.supplier_id,
        buyer_id=buyer_id,
        title=product.title,
        category=product.category_id,
        origin=origin,
        quantity=request.quantity,
        destination=request.destination,
        unit_price=sample.unit_price,
        tier_min_qty=1,
        goods_total=goods_total,
        shipping=None,
        total=goods_total,
        trade_assurance=product.trade_assurance,
        guaranteed_dispatch_within=None,
        easy_return=no_easy_return(EasyReturnOffer.SAMPLE_ORDER, current, policy.easy_return),
        exchange_rate=current,
        after_sales=(),
        risk_signals=risk_signals,
        issued_at=now,
        expires_at=now + policy.validity,
    )


def usable_rate(rate: ExchangeRate, currency: str, now: datetime, policy: QuotePolicy) -> ExchangeRate:
    """The provider's rate of the product's currency, refused when stale: a quote never guesses a rate."""
    if rate.currency != currency:
        raise ExchangeRateUnavailableError(f"the rate given is for {rate.currency}, not {currency}")
    if rate.is_stale(now, policy.exchange_rate_max_age):
        raise ExchangeRateUnavailableError(
            f"the latest {currency} rate ({rate.as_of.isoformat()}) is older than "
            f"{policy.exchange_rate_max_age}; quoting resumes with a current rate"
        )
    return rate


def is_current(quote: Quote, now: datetime) -> bool:
    """The price lock holds until `expires_at`, exclusive: the one place a quote's expiry is judged."""
    return now < quote.expires_at


def quote_status(quote: Quote, now: datetime) -> QuoteStatus:
    return QuoteStatus.VALID if is_current(quote, now) else QuoteStatus.EXPIRED


def ensure_quote_current(quote: Quote, now: datetime) -> Quote:
    if not is_current(quote, now):
        raise QuoteExpiredError(f"quote {quote.id} expired at {quote.expires_at.isoformat()}")
    return quote


def canonical_quote_bytes(quote: Quote) -> bytes:
    """UTF-8 JSON with sorted keys and no whitespace: the exact bytes that are signed and verified."""
    document = quote.model_dump(mode="json")
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
