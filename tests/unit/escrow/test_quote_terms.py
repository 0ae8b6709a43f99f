"""A signed quote becomes contract terms: only for its buyer, before expiry, for Trade Assurance products."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.escrow.domain.contract import DocumentHash
from services.escrow.domain.errors import QuoteNotUsableError
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.quote_terms import BuyerChoices, QuotedOrder, order_from_quote
from services.escrow.domain.terms import Incoterm
from shared.contracts.catalog import AfterSalesLabel, Quote
from shared.contracts.escrow import BuyerTier, OrderKind
from shared.money import Money
from tests.support.protection import easy_return, rate

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
        "easy_return": easy_return("USD", eligible=False),
        "exchange_rate": rate("USD"),
        "after_sales": (),
        "risk_signals": (),
        "issued_at": NOW,
        "expires_at": NOW + timedelta(hours=1),
        **fields,
    }
    return Quote.model_validate(values)


def placed_from(quoted: Quote, buyer_id: str = "b-1", tier: BuyerTier = BuyerTier.STANDARD) -> QuotedOrder:
    return order_from_quote(
        quoted, buyer_id=buyer_id, tier=tier, choices=CHOICES, now=NOW, policy=EscrowPolicy()
    )


def test_a_guaranteed_quote_fixes_handling_transit_and_time_zone_from_its_route() -> None:
    # given a Guaranteed quote on a lane to Los Angeles, and a buyer who names New York and other terms
    guaranteed = quote(
        guaranteed_dispatch_within=timedelta(hours=72),
        route_id="r-1",
        transit_days=6,
        destination_timezone="America/Los_Angeles",
    )

    placed = placed_from(guaranteed)

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
        placed_from(guaranteed)
    assert refused.value.reason == "route_terms_missing"


def test_a_standard_quote_takes_the_buyers_delivery_terms() -> None:
    placed = placed_from(quote())

    assert placed.kind is OrderKind.STANDARD
    assert (placed.terms.handling_time, placed.terms.transit_days) == (timedelta(days=7), 20)
    assert placed.terms.destination_timezone == "America/New_York"


def test_a_sample_quote_makes_a_sample_order() -> None:
    assert placed_from(quote(kind="sample")).kind is OrderKind.SAMPLE


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
        placed_from(quote(**changes), buyer_id)
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    ("currency", "unit", "cap"),
    [("JPY", 500, 15_000), ("EUR", 500, 9_259), ("KWD", 500, 30_000), ("USD", 500, 10_000)],
)
def test_the_contract_freezes_the_quotes_rate_and_the_compensation_cap_at_it(
    currency: str, unit: int, cap: int
) -> None:
    # given a quote in any accepted currency, with the rate catalog used and its Easy Return promise
    money = {"currency": currency}
    promised = easy_return(currency)
    quoted = quote(
        unit_price={"amount": unit, **money},
        goods_total={"amount": unit * 10, **money},
        shipping={"amount": 1_000, **money},
        total={"amount": unit * 10 + 1_000, **money},
        exchange_rate=rate(currency),
        easy_return=promised,
    )
    # when an enterprise buyer places the order
    protection = placed_from(quoted, tier=BuyerTier.ENTERPRISE).terms.protection
    # then the contract records the same rate and Easy Return terms, the US$100 cap at that rate,
    # and the windows of the buyer's tier
    assert protection.exchange_rate == rate(currency)
    assert protection.easy_return == promised
    assert protection.compensation_cap == Money(amount=cap, currency=currency)
    assert (protection.money_back_window_days, protection.compensation_claim_window_days) == (60, 30)
    assert protection.automatic_compensation


def test_a_standard_buyers_contract_records_its_own_tiers_windows() -> None:
    protection = placed_from(quote()).terms.protection
    assert (protection.money_back_window_days, protection.automatic_compensation) == (30, False)


def test_the_contract_keeps_what_the_quote_locked_and_what_the_buyer_chose() -> None:
    # given a quote that names its product and carries after-sales services, and a buyer's choices
    quoted = quote(
        title="Steel bolts",
        category="hardware",
        after_sales=(AfterSalesLabel.FREE_REPLACEMENT_PARTS,),
    )
    choices = CHOICES.model_copy(
        update={
            "inspection_required": True,
            "product_specs": {"material": "steel", "category": "fasteners"},
            "documents": (DocumentHash(name="drawing.pdf", sha256="a" * 64),),
        }
    )

    terms = order_from_quote(
        quoted, buyer_id="b-1", tier=BuyerTier.STANDARD, choices=choices, now=NOW, policy=EscrowPolicy()
    ).terms

    # then the contract records the quote it came from, the catalogue's names (the buyer's own specs win)
    assert terms.quote_id == "q-1"
    assert terms.product_specs == {"title": "Steel bolts", "category": "fasteners", "material": "steel"}
    assert terms.after_sales == (AfterSalesLabel.FREE_REPLACEMENT_PARTS,)
    assert terms.inspection_required
    assert terms.documents == choices.documents
    # and a standard quote travels on no route
    assert (terms.route_id, terms.origin_country) == (None, None)


def test_a_catalogue_category_is_kept_when_the_buyer_does_not_override_it() -> None:
    terms = placed_from(quote(title="Steel bolts", category="hardware")).terms

    assert terms.product_specs == {"title": "Steel bolts", "category": "hardware"}


def test_a_guaranteed_contract_names_the_route_and_the_country_the_supplier_ships_from() -> None:
    guaranteed = quote(
        guaranteed_dispatch_within=timedelta(hours=72),
        route_id="r-1",
        origin="CN",
        transit_days=6,
        destination_timezone="America/Los_Angeles",
    )

    terms = placed_from(guaranteed).terms

    assert (terms.route_id, terms.origin_country) == ("r-1", "CN")


def test_a_quote_with_a_dispatch_window_but_no_route_is_a_standard_order() -> None:
    # Guaranteed needs both: the offer's dispatch time and the lane it travels on
    placed = placed_from(quote(guaranteed_dispatch_within=timedelta(hours=72)))

    assert placed.kind is OrderKind.STANDARD
    assert placed.terms.handling_time == CHOICES.handling_time


def test_a_quote_without_shipping_costs_nothing_to_ship_in_its_own_currency() -> None:
    jpy = {"currency": "JPY"}
    quoted = quote(
        unit_price={"amount": 500, **jpy},
        goods_total={"amount": 5_000, **jpy},
        shipping=None,
        total={"amount": 5_000, **jpy},
        exchange_rate=rate("JPY"),
        easy_return=easy_return("JPY", eligible=False),
    )

    assert placed_from(quoted).terms.shipping == Money.zero("JPY")


@pytest.mark.parametrize(
    ("changes", "buyer_id", "detail"),
    [
        ({}, "b-2", "quote q-1 was issued to another buyer"),
        ({"expires_at": NOW}, "b-1", "quote q-1 expired at"),
        ({"trade_assurance": False}, "b-1", "product p-1 is not Trade Assurance"),
        ({"total": {"amount": 5_999, "currency": "USD"}}, "b-1", "quote total"),
        (
            {"guaranteed_dispatch_within": timedelta(hours=1), "route_id": "r-1"},
            "b-1",
            "Guaranteed quote q-1",
        ),
    ],
)
def test_a_refused_quote_says_which_quote_and_why(
    changes: dict[str, Any], buyer_id: str, detail: str
) -> None:
    with pytest.raises(QuoteNotUsableError, match=detail):
        placed_from(quote(**changes), buyer_id)
