"""A signed quote becomes contract terms: only for its buyer, before expiry, for Trade Assurance products."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.escrow.domain.errors import QuoteNotUsableError
from services.escrow.domain.quote_terms import BuyerChoices, order_from_quote
from services.escrow.domain.terms import Incoterm
from shared.contracts.catalog import Quote
from shared.contracts.escrow import OrderKind
from shared.money import Money

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CHOICES = BuyerChoices(
    incoterm=Incoterm.DAP,
    destination_timezone="America/New_York",
    handling_time=timedelta(days=7),
    transit_days=20,
)


def quote(**fields: Any) -> Quote:
    usd = {"currency": "USD"}
    values: dict[str, Any] = {
        "id": "q-1",
        "product_id": "p-1",
        "supplier_id": "s-1",
        "buyer_id": "b-1",
        "quantity": 10,
        "destination": "US",
        "unit_price": {"amount": 500, **usd},
        "tier_min_qty": 10,
        "goods_total": {"amount": 5_000, **usd},
        "shipping": {"amount": 1_000, **usd},
        "total": {"amount": 6_000, **usd},
        "trade_assurance": True,
        "guaranteed_dispatch_within": None,
        "easy_return": False,
        "after_sales": (),
        "risk_signals": (),
        "issued_at": NOW,
        "expires_at": NOW + timedelta(hours=1),
        **fields,
    }
    return Quote.model_validate(values)


def test_a_guaranteed_quote_fixes_handling_transit_and_time_zone_from_its_route() -> None:
    # given a Guaranteed quote on a lane to Los Angeles, and a buyer who names New York and other terms
    guaranteed = quote(
        guaranteed_dispatch_within=timedelta(hours=72),
        route_id="r-1",
        transit_days=6,
        destination_timezone="America/Los_Angeles",
    )

    placed = order_from_quote(guaranteed, buyer_id="b-1", choices=CHOICES, now=NOW)

    # then the order travels on the route's promise, not on the buyer's terms
    assert placed.kind is OrderKind.GUARANTEED
    assert (placed.terms.handling_time, placed.terms.transit_days) == (timedelta(hours=72), 6)
    assert placed.terms.destination_timezone == "America/Los_Angeles"
    assert placed.terms.total == Money(amount=6_000, currency="USD")


@pytest.mark.parametrize("missing", ["transit_days", "destination_timezone"])
def test_a_guaranteed_quote_without_its_routes_promise_terms_places_no_order(missing: str) -> None:
    route_terms: dict[str, Any] = {"transit_days": 6, "destination_timezone": "America/Los_Angeles"}
    guaranteed = quote(
        guaranteed_dispatch_within=timedelta(hours=72), route_id="r-1", **(route_terms | {missing: None})
    )

    with pytest.raises(QuoteNotUsableError) as refused:
        order_from_quote(guaranteed, buyer_id="b-1", choices=CHOICES, now=NOW)
    assert refused.value.reason == "route_terms_missing"


def test_a_standard_quote_takes_the_buyers_delivery_terms() -> None:
    placed = order_from_quote(quote(), buyer_id="b-1", choices=CHOICES, now=NOW)

    assert placed.kind is OrderKind.STANDARD
    assert (placed.terms.handling_time, placed.terms.transit_days) == (timedelta(days=7), 20)
    assert placed.terms.destination_timezone == "America/New_York"


def test_a_sample_quote_makes_a_sample_order() -> None:
    assert (
        order_from_quote(quote(kind="sample"), buyer_id="b-1", choices=CHOICES, now=NOW).kind
        is OrderKind.SAMPLE
    )


@pytest.mark.parametrize(
    ("changes", "buyer_id", "reason"),
    [
        ({}, "b-2", "quote_for_another_buyer"),
        ({"expires_at": NOW}, "b-1", "quote_expired"),
        ({"trade_assurance": False}, "b-1", "not_trade_assurance"),
        ({"total": {"amount": 5_999, "currency": "USD"}}, "b-1", "total_mismatch"),
    ],
)
def test_an_unusable_quote_places_no_order(changes: dict[str, Any], buyer_id: str, reason: str) -> None:
    with pytest.raises(QuoteNotUsableError) as refused:
        order_from_quote(quote(**changes), buyer_id=buyer_id, choices=CHOICES, now=NOW)
    assert refused.value.reason == reason
