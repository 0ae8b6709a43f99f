"""A quote freezes the facts later decisions need: its exchange rate and its Easy Return promise."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services.catalog.domain.errors import ExchangeRateUnavailableError
from services.catalog.domain.policy import QuotePolicy
from services.catalog.domain.product import PriceTier, SampleOffer
from services.catalog.domain.quote import QuoteRequest, issue_quote, issue_sample_quote
from shared.contracts.catalog import EasyReturnOffer, Quote
from shared.money import ExchangeRate, Money
from tests.unit.catalog.builders import NOW, USD_RATE, product

POLICY = QuotePolicy()
MAX_AGE = POLICY.exchange_rate_max_age
# 1 yen = 0.0075 USD: the US$3,000 Easy Return cap is exactly 400 000 yen.
YEN = ExchangeRate(currency="JPY", usd_per_unit=Decimal("0.0075"), source="sandbox", as_of=NOW)


def yen(amount: int) -> Money:
    return Money(amount=amount, currency="JPY")


def yen_quote(
    unit_price: int, quantity: int = 100, destination: str = "JP", overrides: dict[str, bool] | None = None
) -> Quote:
    listed = product(
        currency="JPY",
        moq=100,
        order_multiple=1,
        tiers=(PriceTier(min_qty=100, unit_price=yen(unit_price)),),
        **{"trade_assurance": True, "easy_return": True, **(overrides or {})},
    )
    request = QuoteRequest(product_id=listed.id, quantity=quantity, destination=destination)
    return issue_quote("q-1", listed, "buyer-1", request, None, (), POLICY, NOW, YEN, "JP")


def test_easy_return_is_decided_at_the_quote_with_the_cap_at_the_quotes_own_rate() -> None:
    # given a yen listing whose 100 units cost exactly the cap (400 000 yen = US$3,000 at the quote's rate)
    at_cap = yen_quote(unit_price=4_000)
    # then the quote promises Easy Return and records the cap in yen, the window and the rate it used
    assert at_cap.easy_return.eligible
    assert at_cap.easy_return.value_cap == yen(400_000)
    assert at_cap.easy_return.window_days == 30
    assert at_cap.exchange_rate == YEN
    # and one unit of the cap's currency more is above it
    above = yen_quote(unit_price=4_000, quantity=101)
    assert (above.easy_return.eligible, above.easy_return.reason) == (False, EasyReturnOffer.VALUE_ABOVE_CAP)


@pytest.mark.parametrize(
    ("destination", "overrides", "reason"),
    [
        ("CN", {}, EasyReturnOffer.COUNTRY_NOT_ELIGIBLE),
        ("JP", {"easy_return": False}, EasyReturnOffer.NOT_OFFERED),
        ("JP", {"trade_assurance": False}, EasyReturnOffer.NOT_TRADE_ASSURANCE),
    ],
)
def test_a_quote_promises_easy_return_only_where_an_order_can_get_it(
    destination: str, overrides: dict[str, bool], reason: EasyReturnOffer
) -> None:
    quote = yen_quote(unit_price=1_000, destination=destination, overrides=overrides)
    assert (quote.easy_return.eligible, quote.easy_return.reason) == (False, reason)


def test_an_address_in_gb_is_the_programmes_uk() -> None:
    assert yen_quote(unit_price=1_000, destination="GB").easy_return.eligible


def test_a_sample_order_gets_no_easy_return() -> None:
    listed = product(
        trade_assurance=True,
        easy_return=True,
        sample=SampleOffer(unit_price=Money(amount=900, currency="USD"), max_qty=5),
    )
    request = QuoteRequest(product_id=listed.id, quantity=3, destination="DE", kind="sample")
    sample = issue_sample_quote("q-2", listed, "buyer-1", request, (), POLICY, NOW, USD_RATE, "CN")
    assert (sample.easy_return.eligible, sample.easy_return.reason) == (False, EasyReturnOffer.SAMPLE_ORDER)


def test_a_stale_exchange_rate_is_refused() -> None:
    # given a rate exactly as old as the policy allows, the quote is issued
    listed = product(
        currency="JPY", moq=100, order_multiple=1, tiers=(PriceTier(min_qty=100, unit_price=yen(10)),)
    )
    request = QuoteRequest(product_id=listed.id, quantity=100, destination="JP")
    assert (
        issue_quote("q-1", listed, "b", request, None, (), POLICY, NOW + MAX_AGE, YEN, "JP").exchange_rate
        == YEN
    )
    # when the rate is one instant older
    # then no quote is issued: the buyer is never promised a cap at a guessed rate
    with pytest.raises(ExchangeRateUnavailableError):
        issue_quote(
            "q-1",
            listed,
            "b",
            request,
            None,
            (),
            POLICY,
            NOW + MAX_AGE + timedelta(microseconds=1),
            YEN,
            "JP",
        )


def test_a_quote_refuses_a_rate_of_another_currency() -> None:
    # given a USD listing and a yen rate, then the quote is refused rather than converted wrongly
    request = QuoteRequest(product_id="prod-1", quantity=100, destination="DE")
    with pytest.raises(ExchangeRateUnavailableError):
        issue_quote("q-1", product(), "b", request, None, (), POLICY, NOW, YEN, "JP")


@pytest.mark.parametrize(
    ("country", "promised"), [("US", True), ("GB", True), ("CH", True), ("CN", False), ("BR", False)]
)
def test_easy_return_is_promised_for_the_programmes_countries_only(country: str, promised: bool) -> None:
    quote = yen_quote(unit_price=1_000, destination=country)
    assert quote.easy_return.eligible is promised
    if not promised:
        assert quote.easy_return.reason is EasyReturnOffer.COUNTRY_NOT_ELIGIBLE
