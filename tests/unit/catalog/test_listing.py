"""What search stores per product: tags, price bands for red flags, and the supplier's ranking boost."""

from __future__ import annotations

from datetime import timedelta

from services.catalog.domain.listing import SupplierStanding, band_prices, product_fields, supplier_fields
from services.catalog.domain.policy import RankingPolicy, RedFlagPolicy
from services.catalog.domain.product import GuaranteedOffer
from shared.contracts.catalog import SupplierType
from tests.unit.catalog.builders import product

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
