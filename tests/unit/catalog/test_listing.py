"""What search stores per product: tags, price bands for red flags, and the supplier's ranking boost."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.catalog.domain.badges import compute_badges
from services.catalog.domain.listing import (
    SupplierListingFields,
    SupplierStanding,
    band_prices,
    price_at,
    product_fields,
    standing,
    supplier_fields,
)
from services.catalog.domain.metrics import OrderFact, SupplierMetrics
from services.catalog.domain.policy import BadgePolicy, RankingPolicy, RedFlagPolicy
from services.catalog.domain.product import GuaranteedOffer, PriceTier
from services.catalog.domain.ratings import RatingAggregate, add_rating
from services.catalog.domain.supplier import Supplier
from shared.contracts.catalog import Rating, SupplierType
from tests.unit.catalog.builders import (
    DAY,
    NOW,
    certification,
    credential_check,
    membership,
    product,
    supplier,
    usd,
    verified_pro_supplier,
)

POLICY = RedFlagPolicy(quantity_bands=(1, 100, 1_000, 10_000))


def test_a_product_is_priced_in_each_quantity_band_it_sells_in() -> None:
    # MOQ 100; tiers 100–499 at 5.00, 500–1999 at 4.50, 2000+ at 4.00
    assert band_prices(product(), POLICY) == {100: 500, 1_000: 450, 10_000: 400}


def test_product_tags_put_categories_first_and_name_every_flag() -> None:
    fields = product_fields(product(guaranteed=GuaranteedOffer(dispatch_within=timedelta(days=4))), POLICY)
    assert fields.product_tags == ["category:drinkware", "category:kitchen", "guaranteed", "currency:USD"]
    assert fields.price_from == 400
    assert fields.price_tiers[-1].max_qty == 2**53


def test_the_supplier_boost_ranks_verified_pro_over_verified_over_rating() -> None:
    def boost(**facts: object) -> float:
        standing = SupplierStanding.model_validate({"supplier_id": "s", "country": "CN", **facts})
        return supplier_fields(standing, RankingPolicy()).boost

    pro = boost(verified=True, verified_pro=True)
    verified = boost(verified=True, rating=5.0, on_time_bps=10_000)
    rated = boost(rating=5.0, on_time_bps=10_000)
    assert pro > verified > rated > boost()


def test_supplier_tags_name_badges_type_certifications_and_country() -> None:
    standing = SupplierStanding(
        supplier_id="s",
        country="VN",
        verified=True,
        supplier_type=SupplierType.BRAND_HOLDER,
        certifications=("CE",),
    )
    assert standing.tags == ["verified", "supplier_type:brand_holder", "certification:CE", "country:VN"]


def test_easy_return_filter_never_shows_a_listing_outside_trade_assurance() -> None:
    # given a listing stored before the rule held: Easy Return without Trade Assurance
    stale = product().model_copy(update={"easy_return": True, "trade_assurance": False})
    enrolled = product().model_copy(update={"easy_return": True, "trade_assurance": True})
    # when search indexes them
    # then only the Trade Assurance listing carries the Easy Return tag the filter searches by
    assert "easy_return" not in product_fields(stale, POLICY).product_tags
    assert "easy_return" in product_fields(enrolled, POLICY).product_tags


def standing_at(supplier: Supplier, metrics: SupplierMetrics, store: RatingAggregate) -> SupplierStanding:
    return standing(supplier, compute_badges(supplier, BadgePolicy(), NOW), metrics, store, NOW)


def test_the_standing_copies_badges_certifications_in_force_and_the_store_rating() -> None:
    # given a Verified Pro, Gold supplier with one certification in force and one expired
    expired = certification(name="CE", number="CE-1", valid_from=NOW - 400 * DAY, valid_until=NOW - DAY)
    pro = verified_pro_supplier(
        certifications=(certification(), expired),
        credential_checks=(credential_check(),),
        memberships=(membership(),),
    )
    store = add_rating(RatingAggregate(), Rating(stars=4, quality=4, service=4, delivery=4))
    # when search takes its standing
    taken = standing_at(pro, SupplierMetrics(supplier_id="sup-1"), store)
    # then it carries what filters and ranking read
    assert (taken.gold, taken.verified, taken.verified_pro) == (True, True, True)
    assert taken.supplier_type is SupplierType.CUSTOM_MANUFACTURER
    assert taken.certifications == ("ISO 9001",)
    assert (taken.rating, taken.rating_count, taken.country) == (4.0, 1, "CN")


@pytest.mark.parametrize(
    ("counts", "on_time_bps"),
    [
        (
            {OrderFact.DELIVERED_ON_TIME: 3, OrderFact.DELIVERED_LATE: 1, OrderFact.DISPATCHED_ON_TIME: 4},
            7_500,
        ),
        ({OrderFact.DISPATCHED_ON_TIME: 1, OrderFact.DISPATCHED_LATE: 1}, 5_000),
        ({}, None),
    ],
)
def test_on_time_counts_delivery_when_known_else_dispatch(
    counts: dict[OrderFact, int], on_time_bps: int | None
) -> None:
    metrics = SupplierMetrics(supplier_id="sup-1", orders=4, counts=counts)
    assert standing_at(supplier(), metrics, RatingAggregate()).on_time_bps == on_time_bps


def test_rating_and_on_time_each_raise_the_boost_and_relevance_is_left_to_the_query() -> None:
    def fields(**facts: object) -> SupplierListingFields:
        standing = SupplierStanding.model_validate({"supplier_id": "s", "country": "CN", **facts})
        return supplier_fields(standing, RankingPolicy())

    bare = fields()
    assert (bare.boost, bare.rating) == (0.0, 0.0)
    assert fields(rating=4.0).boost > bare.boost
    assert fields(on_time_bps=9_000).boost > bare.boost
    signals = SupplierStanding(supplier_id="s", country="CN").signals(relevance=0.5)
    assert signals.relevance == 0.5


def test_keywords_come_from_the_title_both_categories_and_the_attributes() -> None:
    listed = product(attributes={"colour": "red", "lid": "bamboo"})
    fields = product_fields(listed, POLICY)
    assert fields.keywords == [
        "stainless",
        "steel",
        "bottle",
        "750",
        "ml",
        "drinkware",
        "kitchen",
        "colour",
        "red",
        "lid",
        "bamboo",
    ]
    assert fields.parent_category_id == "kitchen"
    assert fields.band_prices == {"100": 500, "1000": 450, "10000": 400}


def test_a_tier_covers_its_last_quantity_and_nothing_covers_beyond_a_capped_last_tier() -> None:
    capped = product(tiers=(PriceTier(min_qty=100, max_qty=499, unit_price=usd(500)),))
    assert price_at(capped, 499) == 500
    assert price_at(capped, 500) is None
