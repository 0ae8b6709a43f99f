"""Turning catalog's signed quote into the contract terms of an order (the price lock-in)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, ValidationError

from shared.contracts.catalog import AfterSalesLabel, Quote
from shared.contracts.escrow import BuyerTier, OrderKind
from shared.money import Money
from shared.time_zones import destination_zone

from .contract import ContractTerms, DocumentHash
from .errors import InvalidContractTermsError, QuoteNotUsableError
from .policy import EscrowPolicy
from .protection import protection_terms
from .terms import Incoterm


class BuyerChoices(BaseModel):
    """What the buyer adds to a quote when ordering: terms the quote does not fix."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    incoterm: Incoterm
    # Needed only where the destination keeps several clocks (US, BR, AU, ...); else the country's own.
    destination_timezone: str | None = None
    handling_time: timedelta
    transit_days: int
    inspection_required: bool = False
    product_specs: dict[str, str] = {}
    documents: tuple[DocumentHash, ...] = ()


class QuotedOrder(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: OrderKind
    supplier_id: str
    terms: ContractTerms


def order_from_quote(
    quote: Quote,
    *,
    buyer_id: str,
    tier: BuyerTier,
    choices: BuyerChoices,
    now: datetime,
    policy: EscrowPolicy,
) -> QuotedOrder:
    """Only the quote's own buyer may use it, before it expires, for a Trade Assurance product; the
    contract keeps the quote's rate and Easy Return promise, and fixes the tier's protection at that rate."""
    if quote.buyer_id != buyer_id:
        raise QuoteNotUsableError("quote_for_another_buyer", f"quote {quote.id} was issued to another buyer")
    if now >= quote.expires_at:
        raise QuoteNotUsableError("quote_expired", f"quote {quote.id} expired at {quote.expires_at}")
    if not quote.trade_assurance:
        raise QuoteNotUsableError("not_trade_assurance", f"product {quote.product_id} is not Trade Assurance")
    kind = _kind(quote)
    handling, transit, named = choices.handling_time, choices.transit_days, choices.destination_timezone
    if kind is OrderKind.GUARANTEED:
        handling, transit, named = _route_promise(quote)
    timezone = destination_zone(quote.destination, named)
    specs = {**_catalogue_specs(quote), **choices.product_specs}
    try:
        terms = ContractTerms(
            quote_id=quote.id,
            product_id=quote.product_id,
            product_specs=specs,
            quantity=quote.quantity,
            unit_price=quote.unit_price,
            shipping=quote.shipping or Money.zero(quote.unit_price.currency),
            incoterm=choices.incoterm,
            destination_country=quote.destination,
            destination_timezone=timezone,
            handling_time=handling,
            transit_days=transit,
            inspection_required=choices.inspection_required,
            after_sales=tuple(AfterSalesLabel(label.value) for label in quote.after_sales),
            documents=choices.documents,
            protection=protection_terms(quote.exchange_rate, quote.easy_return, tier, policy),
            route_id=quote.route_id,
            origin_country=quote.origin or None,
        )
    except ValidationError as error:
        raise InvalidContractTermsError(f"the quote does not make valid contract terms: {error}") from None
    if terms.total != quote.total:
        raise QuoteNotUsableError(
            "total_mismatch", f"quote total {quote.total.format()} != {terms.total.format()}"
        )
    return QuotedOrder(kind=kind, supplier_id=quote.supplier_id, terms=terms)


def _route_promise(quote: Quote) -> tuple[timedelta, int, str]:
    """A Guaranteed order is placed at the fixed landed price on its route's own promise, no negotiation:
    the offer's dispatch time, and the lane's transit days and time zone, all as catalog quoted them."""
    within, transit, zone = quote.guaranteed_dispatch_within, quote.transit_days, quote.destination_timezone
    if within is None or transit is None or zone is None:
        raise QuoteNotUsableError(
            "route_terms_missing", f"Guaranteed quote {quote.id} does not give its route's promise terms"
        )
    return within, transit, zone


def _kind(quote: Quote) -> OrderKind:
    if quote.kind == "sample":
        return OrderKind.SAMPLE
    if quote.guaranteed_dispatch_within is not None and quote.route_id is not None:
        return OrderKind.GUARANTEED
    return OrderKind.STANDARD


def _catalogue_specs(quote: Quote) -> dict[str, str]:
    return {name: value for name, value in (("title", quote.title), ("category", quote.category)) if value}
