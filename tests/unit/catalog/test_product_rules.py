"""Product terms are validated before listing; each refusal names the offending field."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.catalog.domain.errors import InvalidFieldError, NotOwnerError
from services.catalog.domain.policy import ProductPolicy
from services.catalog.domain.product import GuaranteedOffer, PriceTier, SampleOffer
from services.catalog.domain.product_rules import check_terms, publish_product, revise_product
from shared.money import Money
from tests.unit.catalog.builders import NOW, supplier, terms, usd

POLICY = ProductPolicy()


def refused_field(**overrides: object) -> str:
    with pytest.raises(InvalidFieldError) as refused:
        check_terms(terms(**overrides), supplier(), POLICY)
    return refused.value.field


def test_valid_terms_are_published_with_an_event() -> None:
    # given valid terms from a supplier
    # when the product is published
    product, event = publish_product("prod-9", supplier(), terms(), POLICY, NOW)
    # then it belongs to the supplier and the event carries its lowest price
    assert product.supplier_id == "sup-1"
    assert event.product_id == "prod-9"
    assert event.lowest_unit_price == usd(400)
    assert event.published_at == NOW


def test_first_tier_must_start_at_the_moq() -> None:
    tiers = (PriceTier(min_qty=50, unit_price=usd(500)),)
    assert refused_field(tiers=tiers) == "tiers[0].min_qty"


def test_tiers_must_be_contiguous() -> None:
    # given a gap between 499 and 600
    tiers = (
        PriceTier(min_qty=100, max_qty=499, unit_price=usd(500)),
        PriceTier(min_qty=600, unit_price=usd(450)),
    )
    assert refused_field(tiers=tiers) == "tiers[1].min_qty"


def test_overlapping_tiers_are_refused() -> None:
    tiers = (
        PriceTier(min_qty=100, max_qty=499, unit_price=usd(500)),
        PriceTier(min_qty=400, unit_price=usd(450)),
    )
    assert refused_field(tiers=tiers) == "tiers[1].min_qty"


def test_only_the_last_tier_may_be_open_ended() -> None:
    tiers = (PriceTier(min_qty=100, unit_price=usd(500)), PriceTier(min_qty=500, unit_price=usd(450)))
    assert refused_field(tiers=tiers) == "tiers[0].max_qty"


def test_tier_prices_must_be_in_the_product_currency() -> None:
    tiers = (PriceTier(min_qty=100, unit_price=Money(amount=500, currency="EUR")),)
    assert refused_field(tiers=tiers) == "tiers[0].unit_price.currency"


def test_tier_prices_must_be_positive() -> None:
    tiers = (PriceTier(min_qty=100, unit_price=usd(0)),)
    assert refused_field(tiers=tiers) == "tiers[0].unit_price.amount"


def test_moq_must_be_a_multiple_of_the_order_multiple() -> None:
    tiers = (PriceTier(min_qty=105, unit_price=usd(500)),)
    assert refused_field(moq=105, tiers=tiers) == "moq"


def test_more_tiers_than_the_policy_allows_are_refused() -> None:
    with pytest.raises(InvalidFieldError) as refused:
        check_terms(terms(), supplier(), ProductPolicy(max_tiers=2))
    assert refused.value.field == "tiers"


def test_trade_assurance_requires_an_enrolled_supplier() -> None:
    # given a supplier not enrolled in Trade Assurance
    assert refused_field(trade_assurance=True) == "trade_assurance"
    # when it enrols, then the flag is accepted
    check_terms(terms(trade_assurance=True), supplier(trade_assurance_enrolled=True), POLICY)


@pytest.mark.parametrize("hours", [71, 169])
def test_guaranteed_dispatch_promise_must_be_between_72_hours_and_7_days(hours: int) -> None:
    offer = GuaranteedOffer(dispatch_within=timedelta(hours=hours))
    assert refused_field(guaranteed=offer) == "guaranteed.dispatch_within"


@pytest.mark.parametrize("hours", [72, 168])
def test_guaranteed_dispatch_promise_bounds_are_inclusive(hours: int) -> None:
    check_terms(terms(guaranteed=GuaranteedOffer(dispatch_within=timedelta(hours=hours))), supplier(), POLICY)


def test_sample_price_must_be_in_the_product_currency() -> None:
    sample = SampleOffer(unit_price=Money(amount=900, currency="EUR"), max_qty=3)
    assert refused_field(sample=sample) == "sample.unit_price.currency"


def test_a_supplier_cannot_revise_another_suppliers_product() -> None:
    # given a product of sup-1
    product, _ = publish_product("prod-1", supplier(), terms(), POLICY, NOW)
    # when sup-2 tries to revise it, then it is refused
    with pytest.raises(NotOwnerError):
        revise_product(product, supplier("sup-2"), terms(title="mine now"), POLICY, NOW)


def test_a_revision_keeps_identity_and_records_the_moment() -> None:
    product, _ = publish_product("prod-1", supplier(), terms(), POLICY, NOW)
    later = NOW + timedelta(hours=1)
    revised, event = revise_product(product, supplier(), terms(title="Bottle 1 l"), POLICY, later)
    assert (revised.id, revised.published_at, revised.revised_at) == ("prod-1", NOW, later)
    assert event.title == "Bottle 1 l"


def test_easy_return_needs_trade_assurance() -> None:
    # given a listing that offers Easy Return outside Trade Assurance
    # when its terms are checked
    # then it is refused, naming the field that promises what no order of it can get
    assert refused_field(easy_return=True, trade_assurance=False) == "easy_return"


def test_easy_return_on_a_trade_assurance_listing_is_accepted() -> None:
    # given an enrolled supplier's Trade Assurance listing with Easy Return
    # when its terms are checked, then nothing is refused
    check_terms(
        terms(easy_return=True, trade_assurance=True), supplier(trade_assurance_enrolled=True), POLICY
    )


def test_as_many_tiers_as_the_policy_allows_are_accepted() -> None:
    check_terms(terms(), supplier(), ProductPolicy(max_tiers=3))


def test_a_tier_may_cover_a_single_quantity_but_not_end_below_its_start() -> None:
    single = (
        PriceTier(min_qty=100, max_qty=100, unit_price=usd(500)),
        PriceTier(min_qty=101, unit_price=usd(450)),
    )
    check_terms(terms(order_multiple=1, tiers=single), supplier(), POLICY)
    inverted = (PriceTier(min_qty=100, max_qty=99, unit_price=usd(500)),)
    assert refused_field(order_multiple=1, tiers=inverted) == "tiers[0].max_qty"


def test_a_sample_may_be_free_but_not_negative() -> None:
    check_terms(terms(sample=SampleOffer(unit_price=usd(0), max_qty=3)), supplier(), POLICY)
    check_terms(terms(sample=SampleOffer(unit_price=usd(900), max_qty=3)), supplier(), POLICY)
    assert refused_field(sample=SampleOffer(unit_price=usd(-1), max_qty=3)) == "sample.unit_price.amount"


def test_an_enrolled_supplier_publishes_and_revises_trade_assurance_listings() -> None:
    enrolled = supplier(trade_assurance_enrolled=True)
    product, published = publish_product("prod-1", enrolled, terms(trade_assurance=True), POLICY, NOW)
    assert published.trade_assurance
    _, revised = revise_product(
        product, enrolled, terms(trade_assurance=True, title="Bottle 1 l"), POLICY, NOW
    )
    assert revised.trade_assurance


def test_the_published_event_says_whether_the_listing_is_guaranteed() -> None:
    offer = GuaranteedOffer(dispatch_within=timedelta(hours=96))
    assert publish_product("prod-1", supplier(), terms(guaranteed=offer), POLICY, NOW)[1].guaranteed
    assert not publish_product("prod-2", supplier(), terms(), POLICY, NOW)[1].guaranteed
