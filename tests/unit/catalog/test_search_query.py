"""Search queries: which index serves them, cursors that only resume their own sort, facet counts."""

from __future__ import annotations

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
