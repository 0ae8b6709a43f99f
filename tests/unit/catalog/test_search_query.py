"""Search queries: which index serves them, cursors that only resume their own sort, facet counts."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from services.catalog.adapters.product_search import prepare
from services.catalog.adapters.products import ProductIndex
from services.catalog.domain.errors import InvalidFieldError
from services.catalog.domain.search import Cursor, SearchQuery, SortKey, check_query, facets_from_tags


def query(**params: Any) -> SearchQuery:
    return SearchQuery.model_validate(params)


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({"q": "steel", "verified": True}, ProductIndex.KEYWORDS),
        ({"category": "mugs", "currency": "USD", "max_price": 5}, ProductIndex.PRODUCT_TAGS),
        ({"currency": "USD", "max_price": 5}, ProductIndex.PRICE),
        ({"guaranteed": True, "country": "CN"}, ProductIndex.PRODUCT_TAGS),
        ({"country": "CN", "min_rating": 4}, ProductIndex.SUPPLIER_TAGS),
        ({"min_rating": 4, "max_moq": 10}, ProductIndex.RATING),
        ({"max_moq": 10}, ProductIndex.MOQ),
        ({"sort": "orders"}, ProductIndex.ORDERS),
        ({}, ProductIndex.BOOST),
    ],
)
def test_the_most_selective_index_serves_the_query(params: dict[str, Any], index: str) -> None:
    assert prepare(query(**params)).index == index


def test_a_price_at_a_quantity_matches_the_covering_tier() -> None:
    match = prepare(query(currency="USD", quantity=500, min_price=100)).match
    assert match["price_tiers"] == {
        "$elemMatch": {"min_qty": {"$lte": 500}, "max_qty": {"$gte": 500}, "amount": {"$gte": 100}}
    }


def test_price_filters_and_price_sort_need_a_currency() -> None:
    for params in ({"max_price": 5}, {"sort": "price"}):
        with pytest.raises(InvalidFieldError) as refused:
            check_query(query(**params))
        assert refused.value.field == "currency"


def test_a_cursor_resumes_only_the_sort_it_came_from() -> None:
    text = Cursor(sort=SortKey.PRICE, value=450.0, id="prod-1").encode()
    assert Cursor.decode(text, SortKey.PRICE).id == "prod-1"
    with pytest.raises(InvalidFieldError):
        Cursor.decode(text, SortKey.RATING)
    with pytest.raises(InvalidFieldError):
        Cursor.decode("not-a-cursor", SortKey.PRICE)


def test_facets_read_tag_counts_and_the_total_from_currencies() -> None:
    facets = facets_from_tags(
        {"verified": 3, "country:CN": 2, "country:VN": 4, "currency:USD": 5, "currency:EUR": 1}
    )
    assert (facets.total, facets.verified, facets.country) == (6, 3, {"VN": 4, "CN": 2})


def test_the_lead_predicate_is_one_indexed_equality_and_the_whole_filter_follows() -> None:
    prepared = prepare(query(q="steel bottles", verified=True))
    assert prepared.lead == {"keywords": "bottle"}
    assert prepared.match == {
        "keywords": {"$all": ["bottle", "steel"]},
        "supplier_tags": {"$all": ["verified"]},
    }


def test_a_query_without_price_filters_or_price_sort_needs_no_currency() -> None:
    check_query(query(q="bottle", sort="rating", min_rating=4))


@pytest.mark.parametrize(
    "prices", [{"min_price": 500}, {"max_price": 500}, {"min_price": 500, "max_price": 500}, {}]
)
def test_a_price_range_may_be_open_on_either_side_or_a_single_price(prices: dict[str, int]) -> None:
    check_query(query(currency="USD", sort="price", **prices))


def test_a_price_range_whose_minimum_exceeds_its_maximum_is_refused_naming_the_minimum() -> None:
    with pytest.raises(InvalidFieldError) as refused:
        check_query(query(currency="USD", min_price=501, max_price=500))
    assert refused.value.field == "min_price"


def test_every_filter_becomes_a_required_tag_of_the_product_or_its_supplier() -> None:
    everything = query(
        category="mugs",
        trade_assurance=True,
        guaranteed=True,
        easy_return=True,
        currency="EUR",
        certification="ISO 9001",
        supplier_type="brand_holder",
        country="VN",
        verified_pro=True,
        verified=True,
    )
    assert everything.required_tags() == (
        ["category:mugs", "trade_assurance", "guaranteed", "easy_return", "currency:EUR"],
        ["certification:ISO 9001", "supplier_type:brand_holder", "country:VN", "verified_pro", "verified"],
    )
    assert query().required_tags() == ([], [])


@pytest.mark.parametrize("product_id", ["p", "pr", "pro", "prod"])
def test_a_cursor_resumes_whatever_the_length_of_its_id(product_id: str) -> None:
    cursor = Cursor(sort=SortKey.ORDERS, value=12.0, id=product_id)
    assert Cursor.decode(cursor.encode(), SortKey.ORDERS) == cursor


def test_a_cursor_is_unpadded_url_safe_base64_of_compact_json() -> None:
    # so that it travels in a query string as it is, and stays far below the cursor parameter's length cap
    text = Cursor(sort=SortKey.PRICE, value=450.0, id="prod-1").encode()
    assert "=" not in text
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    assert raw == b'{"sort":"price","value":450.0,"id":"prod-1"}'


@pytest.mark.parametrize("text", ["not-a-cursor", Cursor(sort=SortKey.PRICE, value=1.0, id="p").encode()])
def test_a_cursor_that_does_not_belong_to_the_search_is_refused_naming_the_cursor(text: str) -> None:
    with pytest.raises(InvalidFieldError) as refused:
        Cursor.decode(text, SortKey.RATING)
    assert refused.value.field == "cursor"


def test_facets_count_absent_flags_as_zero_and_order_values_by_count_then_name() -> None:
    facets = facets_from_tags({"country:CN": 2, "country:VN": 4, "country:BD": 2, "currency:USD": 8})
    assert (facets.verified, facets.gold, facets.samples) == (0, 0, 0)
    assert list(facets.country.items()) == [("VN", 4), ("BD", 2), ("CN", 2)]
