"""Search: keywords, every filter of PRODUCT.md, sorts, facets, cursor pages, explainable ranking, indexes."""

from __future__ import annotations

from typing import Any

import pytest

from services.catalog.adapters.product_search import ProductSearch, prepare
from services.catalog.domain.search import SearchQuery
from tests.integration.catalog.support import Catalog, priced, terms


@pytest.fixture
def catalog_overrides() -> dict[str, Any]:
    return {"search_max_page_size": 3}


async def seed(catalog: Catalog) -> dict[str, str]:
    """A Verified Pro (CN), a Verified multispecialty supplier (VN) and an unverified one (IN)."""
    for supplier_id, country in (("pro", "CN"), ("ver", "VN"), ("plain", "IN")):
        await catalog.register(supplier_id, country)
    await catalog.make_verified_pro("pro")
    await catalog.make_verified("ver", supplier_type="multispecialty_supplier")
    for enrolled in ("pro", "ver"):
        await catalog.record(enrolled, "trade-assurance", {"enrolled": True}, method="PUT")
    listings = {
        "pro_bottle": (
            "pro",
            terms(
                title="Insulated steel bottle", trade_assurance=True, guaranteed={"dispatch_within": "P4D"}
            ),
        ),
        "ver_bottle": (
            "ver",
            priced(300, title="Steel bottle, bamboo lid", trade_assurance=True, easy_return=True),
        ),
        "plain_bottle": ("plain", priced(200, moq=500, title="Steel bottle")),
        "plain_mug": ("plain", priced(150, title="Ceramic mug", category_id="mugs")),
        "ver_towel": (
            "ver",
            priced(
                250, currency="EUR", title="Cotton towel", category_id="textiles", parent_category_id="home"
            ),
        ),
    }
    return {name: await catalog.list_product(supplier, body) for name, (supplier, body) in listings.items()}


async def test_keyword_search_matches_every_word_and_ranks_verified_pro_first(catalog: Catalog) -> None:
    ids = await seed(catalog)
    page = await catalog.search(q="steel bottles", explain=True)
    assert [item["id"] for item in page["items"]] == [
        ids["pro_bottle"],
        ids["ver_bottle"],
        ids["plain_bottle"],
    ]
    parts = [item["score"]["parts"] for item in page["items"]]
    assert [(p["verified_pro"], p["verified"], p["relevance"]) for p in parts] == [
        (4.0, 0.0, 1.0),
        (0.0, 2.0, 1.0),
        (0.0, 0.0, 1.0),
    ]
    assert await catalog.found(q="bamboo") == [ids["ver_bottle"]]
    assert await catalog.found(q="steel mug") == []


async def test_every_filter_narrows_the_results(catalog: Catalog) -> None:
    ids = await seed(catalog)
    cases: list[tuple[dict[str, Any], set[str]]] = [
        ({"verified": True}, {"pro_bottle", "ver_bottle", "ver_towel"}),
        ({"verified_pro": True}, {"pro_bottle"}),
        ({"supplier_type": "multispecialty_supplier"}, {"ver_bottle", "ver_towel"}),
        ({"trade_assurance": True}, {"pro_bottle", "ver_bottle"}),
        ({"guaranteed": True}, {"pro_bottle"}),
        ({"easy_return": True}, {"ver_bottle"}),
        ({"certification": "ISO 9001"}, {"pro_bottle"}),
        ({"country": "IN"}, {"plain_bottle", "plain_mug"}),
        ({"category": "kitchen"}, {"pro_bottle", "ver_bottle", "plain_bottle", "plain_mug"}),
        ({"category": "mugs"}, {"plain_mug"}),
        ({"currency": "USD", "min_price": 250, "max_price": 450}, {"pro_bottle", "ver_bottle"}),
        # at 100 units: 500, 300, (not orderable below its MOQ of 500), 150
        ({"currency": "USD", "quantity": 100, "max_price": 450}, {"ver_bottle", "plain_mug"}),
        ({"max_moq": 100}, {"pro_bottle", "ver_bottle", "plain_mug", "ver_towel"}),
        ({"q": "bottle", "trade_assurance": True, "country": "VN"}, {"ver_bottle"}),
    ]
    for params, expected in cases:
        found = set(await walk(catalog, **params))
        assert found == {ids[name] for name in expected}, params


async def test_price_filters_and_price_sort_need_a_currency(catalog: Catalog) -> None:
    status, problem = await catalog.call("GET", "/v1/products", catalog.tokens.buyer("b-1"), max_price=100)
    assert (status, problem["errors"][0]["field"]) == (422, "currency")


async def test_sorts_and_cursor_pages_cover_every_hit_once(catalog: Catalog) -> None:
    ids = await seed(catalog)
    by_price = await walk(catalog, sort="price", currency="USD")
    assert by_price == [ids[n] for n in ("plain_mug", "plain_bottle", "ver_bottle", "pro_bottle")]
    by_relevance = await walk(catalog, q="steel")
    assert by_relevance == [ids[n] for n in ("pro_bottle", "ver_bottle", "plain_bottle")]
    browsing = await walk(catalog)
    assert len(browsing) == len(set(browsing)) == 5
    assert browsing[0] == ids["pro_bottle"]
    status, problem = await catalog.call("GET", "/v1/products", catalog.tokens.buyer("b-1"), cursor="garbage")
    assert (status, problem["errors"][0]["field"]) == (422, "cursor")


async def walk(catalog: Catalog, **params: Any) -> list[str]:
    """Every page of a search, two hits at a time (the page size is capped at 3 in this module)."""
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = await catalog.search(limit=2, facets=False, **params, **({"cursor": cursor} if cursor else {}))
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


async def test_the_page_size_is_capped(catalog: Catalog) -> None:
    await seed(catalog)
    page = await catalog.search(limit=50)
    assert len(page["items"]) == 3
    assert page["next_cursor"] is not None


async def test_facet_counts_follow_the_filters(catalog: Catalog) -> None:
    await seed(catalog)
    facets = (await catalog.search(q="bottle"))["facets"]
    assert {
        k: facets[k]
        for k in ("total", "verified", "verified_pro", "trade_assurance", "guaranteed", "easy_return")
    } == {
        "total": 3,
        "verified": 2,
        "verified_pro": 1,
        "trade_assurance": 2,
        "guaranteed": 1,
        "easy_return": 1,
    }
    assert facets["country"] == {"CN": 1, "IN": 1, "VN": 1}
    assert facets["category"] == {"drinkware": 3, "kitchen": 3}
    assert facets["supplier_type"] == {"custom_manufacturer": 1, "multispecialty_supplier": 1}
    assert facets["certification"] == {"ISO 9001": 1}
    assert (await catalog.search(country="VN"))["facets"]["currency"] == {"EUR": 1, "USD": 1}


async def test_filtered_searches_are_served_from_indexes(catalog: Catalog) -> None:
    # given the catalog's indexes (seeded so the collection and its indexes exist)
    await seed(catalog)
    search = ProductSearch(catalog.service.platform.db, relevance_weight=1.0)
    queries: list[dict[str, Any]] = [
        {"q": "steel bottle"},
        {"q": "steel", "verified": True, "trade_assurance": True, "sort": "price", "currency": "USD"},
        {"category": "kitchen", "min_price": 100, "max_price": 400, "currency": "USD", "quantity": 500},
        {"verified_pro": True},
        {"supplier_type": "brand_holder", "country": "CN"},
        {"certification": "ISO 9001", "sort": "rating"},
        {"guaranteed": True, "easy_return": True},
        {"currency": "USD", "min_price": 100},
        {"min_rating": 4},
        {"max_moq": 500, "sort": "orders"},
    ]
    for params in queries:
        prepared = prepare(SearchQuery.model_validate(params))
        for pipeline in (search.pipeline(prepared, 20), search.facet_pipeline(prepared)):
            # when the server explains the plan, then it scans an index, never the collection
            stages = await search.plan(pipeline)
            assert "COLLSCAN" not in stages, (params, stages)
            assert "IXSCAN" in stages, (params, stages)
            assert prepared.index in stages, (params, stages)
