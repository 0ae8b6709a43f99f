"""Quotes lock the price, expire, and serialise to the same bytes for the same terms."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from services.catalog.domain.errors import (
    ExchangeRateUnavailableError,
    InvalidFieldError,
    QuantityBelowMoqError,
    QuoteExpiredError,
)
from services.catalog.domain.policy import QuotePolicy
from services.catalog.domain.product import GuaranteedOffer, PriceTier, Product, SampleOffer
from services.catalog.domain.quote import (
    QuoteRequest,
    canonical_quote_bytes,
    ensure_quote_current,
    issue_quote,
    issue_sample_quote,
)
from services.catalog.domain.shipping import LandedShipping
from shared.contracts.catalog import AfterSalesLabel, Quote, RiskCode, RiskSignal
from shared.money import MAX_MINOR_UNITS, AmountOutOfRange, ExchangeRate, Money
from tests.unit.catalog.builders import NOW, USD_RATE, product, usd

POLICY = QuotePolicy(validity=timedelta(hours=24))
REQUEST = QuoteRequest(product_id="prod-1", quantity=500, destination="DE")
SAMPLES = QuoteRequest(product_id="prod-1", quantity=3, destination="DE", kind="sample")
LANE = LandedShipping(
    route_id="r-cn-de", transit_days=9, destination_timezone="Europe/Berlin", price=usd(9_000)
)
SIGNAL = RiskSignal(code=RiskCode.NO_VERIFICATION, reason="no valid audit or Gold membership")


def quote(**product_overrides: object) -> Quote:
    listed = product(**product_overrides)
    return issue_quote("q-1", listed, "buyer-1", REQUEST, LANE, (SIGNAL,), POLICY, NOW, USD_RATE, origin="CN")


def test_a_quote_locks_the_tier_price_shipping_and_flags() -> None:
    # given a Guaranteed product
    offer = GuaranteedOffer(dispatch_within=timedelta(hours=96))
    locked = quote(guaranteed=offer, trade_assurance=True, easy_return=True)
    # then the quote carries the resolved tier, landed total and the offer's flags
    assert (locked.tier_min_qty, locked.unit_price) == (500, usd(450))
    assert locked.total == usd(225_000 + 9_000)
    assert locked.guaranteed_dispatch_within == timedelta(hours=96)
    assert locked.easy_return.eligible
    assert locked.risk_signals == (SIGNAL,)
    assert (locked.route_id, locked.transit_days, locked.origin) == ("r-cn-de", 9, "CN")
    # and the route's promise terms, which escrow turns into the order's delivery promise
    assert locked.destination_timezone == "Europe/Berlin"


def test_a_quote_expires_after_the_policy_validity() -> None:
    locked = quote()
    assert locked.expires_at == NOW + timedelta(hours=24)
    assert ensure_quote_current(locked, NOW + timedelta(hours=23, minutes=59)) is locked
    with pytest.raises(QuoteExpiredError):
        ensure_quote_current(locked, NOW + timedelta(hours=24))


def test_a_quote_below_moq_is_refused() -> None:
    small = REQUEST.model_copy(update={"quantity": 10})
    with pytest.raises(QuantityBelowMoqError):
        issue_quote("q-1", product(), "buyer-1", small, None, (), POLICY, NOW, USD_RATE, "CN")


def test_canonical_bytes_are_compact_sorted_json() -> None:
    raw = canonical_quote_bytes(quote())
    document = json.loads(raw)
    assert list(document) == sorted(document)
    texts = (b"no valid audit or Gold membership", b"Stainless steel bottle 750 ml")
    assert b" " not in raw.replace(texts[0], b"").replace(texts[1], b"")
    assert document["total"] == {"amount": 225_000, "currency": "USD"}


def test_canonical_bytes_survive_a_storage_round_trip() -> None:
    # given a quote stored as a JSON document and read back
    locked = quote(after_sales=frozenset(AfterSalesLabel))
    restored = Quote.model_validate(json.loads(json.dumps(locked.model_dump(mode="json"))))
    # then the signed bytes are identical
    assert canonical_quote_bytes(restored) == canonical_quote_bytes(locked)


def test_the_same_instant_in_another_offset_serialises_identically() -> None:
    locked = quote()
    shifted = Quote.model_validate(
        locked.model_dump() | {"issued_at": NOW.astimezone(timezone(timedelta(hours=8)))}
    )
    assert canonical_quote_bytes(shifted) == canonical_quote_bytes(locked)


def test_any_change_of_terms_changes_the_bytes() -> None:
    locked = quote()
    tampered = Quote.model_validate(locked.model_dump() | {"total": usd(1)})
    assert canonical_quote_bytes(tampered) != canonical_quote_bytes(locked)


def test_a_sample_quote_is_priced_by_the_sample_offer_up_to_its_quantity() -> None:
    listed = product(sample=SampleOffer(unit_price=usd(900), max_qty=5))
    sample = issue_sample_quote("q-2", listed, "buyer-1", SAMPLES, (), POLICY, NOW, USD_RATE, origin="CN")
    assert (sample.kind, sample.total, sample.shipping, sample.tier_min_qty) == (
        "sample",
        usd(2_700),
        None,
        1,
    )
    with pytest.raises(InvalidFieldError):
        issue_sample_quote(
            "q-3",
            listed,
            "buyer-1",
            SAMPLES.model_copy(update={"quantity": 6}),
            (),
            POLICY,
            NOW,
            USD_RATE,
            "CN",
        )
    with pytest.raises(InvalidFieldError):
        issue_sample_quote("q-4", product(), "buyer-1", SAMPLES, (), POLICY, NOW, USD_RATE, "CN")


EURO = ExchangeRate(currency="EUR", usd_per_unit=Decimal("1.08"), source="sandbox", as_of=NOW)
EURO_SAMPLES = product(
    currency="EUR",
    tiers=(PriceTier(min_qty=100, unit_price=Money(amount=500, currency="EUR")),),
    sample=SampleOffer(unit_price=Money(amount=900, currency="EUR"), max_qty=5),
)


def sample_quote(
    listed: Product, quantity: int = 3, at: datetime = NOW, rate: ExchangeRate = USD_RATE
) -> Quote:
    request = SAMPLES.model_copy(update={"quantity": quantity})
    return issue_sample_quote("q-2", listed, "buyer-1", request, (), POLICY, at, rate, origin="CN")


def test_a_quote_carries_what_the_buyer_is_shown_of_the_listing() -> None:
    locked = quote(guaranteed=GuaranteedOffer(dispatch_within=timedelta(hours=96)))
    assert (locked.title, locked.category, locked.origin) == (
        "Stainless steel bottle 750 ml",
        "drinkware",
        "CN",
    )
    assert locked.shipping == usd(9_000)


def test_a_lane_given_for_an_offer_that_is_not_guaranteed_is_not_quoted() -> None:
    # given a product without a Guaranteed offer and a lane to the destination
    # when it is quoted, then neither the shipping nor the lane becomes part of the locked terms
    locked = quote()
    assert (locked.shipping, locked.route_id, locked.transit_days, locked.destination_timezone) == (
        None,
        None,
        None,
        None,
    )


def test_a_sample_quote_carries_the_listing_and_expires_after_the_policy_validity() -> None:
    sample = sample_quote(product(sample=SampleOffer(unit_price=usd(900), max_qty=5)))
    assert (sample.title, sample.category, sample.origin) == (
        "Stainless steel bottle 750 ml",
        "drinkware",
        "CN",
    )
    assert (sample.issued_at, sample.expires_at) == (NOW, NOW + timedelta(hours=24))


@pytest.mark.parametrize(("quantity", "allowed"), [(4, True), (5, True), (6, False)])
def test_samples_are_quoted_up_to_the_offers_maximum_inclusive(quantity: int, allowed: bool) -> None:
    listed = product(sample=SampleOffer(unit_price=usd(900), max_qty=5))
    if allowed:
        assert sample_quote(listed, quantity).total == usd(900 * quantity)
    else:
        with pytest.raises(InvalidFieldError) as refused:
            sample_quote(listed, quantity)
        assert refused.value.field == "quantity"


def test_a_product_without_a_sample_offer_refuses_a_sample_quote_naming_the_kind() -> None:
    with pytest.raises(InvalidFieldError) as refused:
        sample_quote(product())
    assert refused.value.field == "kind"


def test_a_sample_total_beyond_the_amount_bound_is_refused_naming_the_total() -> None:
    dear = product(sample=SampleOffer(unit_price=usd(MAX_MINOR_UNITS), max_qty=5))
    with pytest.raises(AmountOutOfRange) as refused:
        sample_quote(dear, 2)
    assert refused.value.field == "total"


def test_a_sample_quote_needs_a_current_rate_of_the_product_currency() -> None:
    # given a euro listing offering samples and the provider's euro rate
    assert sample_quote(EURO_SAMPLES, rate=EURO).exchange_rate == EURO
    # when the rate has aged past the policy's limit, then no sample is quoted on it
    with pytest.raises(ExchangeRateUnavailableError):
        sample_quote(EURO_SAMPLES, at=NOW + POLICY.exchange_rate_max_age + timedelta(seconds=1), rate=EURO)


def test_canonical_bytes_keep_text_beyond_ascii_as_utf_8() -> None:
    # given a title beyond ASCII: the signature covers UTF-8 bytes, not \u escapes of them
    raw = canonical_quote_bytes(quote(title="Gourde inox 750 ml — Ø 7 cm"))
    assert "Gourde inox 750 ml — Ø 7 cm".encode() in raw
