"""Catalog search latency at 10k and 100k products, next to a bare indexed `find` on the same server.

    python -m bench.catalog_search [--sizes 10000 100000] [--repeat 40] [--budget 6]

Seeds product documents exactly as the service stores them (bulk `insert_many`, then the service's
indexes), runs filtered searches through the search adapter (page + facet counts), records each query
plan (asserting no COLLSCAN), and prints p50/p99 in milliseconds as one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.errors import BulkWriteError

from bench.support import Stopwatch, mongo_client, percentile, report
from services.catalog.adapters.product_search import ProductSearch, prepare
from services.catalog.adapters.products import PRODUCT_INDEXES, PRODUCTS, product_document
from services.catalog.domain.listing import SupplierStanding, product_fields, supplier_fields
from services.catalog.domain.policy import CatalogPolicy
from services.catalog.domain.product import GuaranteedOffer, PriceTier, ProductTerms, list_product
from services.catalog.domain.search import SearchQuery
from shared.contracts.catalog import SupplierType
from shared.money import Money
from shared.mongo import Document, ensure_indexes

POLICY = CatalogPolicy()
NOW = datetime(2026, 1, 1, tzinfo=UTC)
ADJECTIVES = ["insulated", "stainless", "folding", "portable", "industrial", "solar", "wireless", "ceramic"]
MATERIALS = ["steel", "bamboo", "cotton", "aluminium", "plastic", "glass", "leather", "copper"]
NOUNS = ["bottle", "mug", "towel", "lamp", "chair", "bag", "cable", "valve", "pump", "drill", "tent", "fan"]
COUNTRIES = ["CN", "VN", "IN", "TR", "MX", "PL", "DE", "US"]
CERTIFICATIONS = ["ISO 9001", "CE", "FCC", "RoHS"]
SEARCHES: dict[str, dict[str, Any]] = {
    "keyword": {"q": "steel bottle"},
    "keyword_verified_ta": {"q": "steel", "verified": True, "trade_assurance": True},
    "category_price_at_qty": {"category": "c7", "currency": "USD", "quantity": 500, "max_price": 600},
    "verified_pro_by_price": {"verified_pro": True, "sort": "price", "currency": "USD"},
    "country_cert_by_rating": {"country": "VN", "certification": "CE", "sort": "rating"},
    "guaranteed_easy_return": {"guaranteed": True, "easy_return": True},
    "min_rating_by_orders": {"min_rating": 4.5, "sort": "orders"},
}


def standings(count: int, rng: random.Random) -> list[SupplierStanding]:
    result = []
    for index in range(count):
        verified = rng.random() < 0.4
        result.append(
            SupplierStanding(
                supplier_id=f"sup-{index}",
                country=rng.choice(COUNTRIES),
                verified=verified,
                verified_pro=verified and rng.random() < 0.2,
                supplier_type=rng.choice(list(SupplierType)) if verified else None,
                certifications=tuple(sorted(rng.sample(CERTIFICATIONS, rng.randint(0, 2)))),
                rating=round(rng.uniform(3, 5), 2) if rng.random() < 0.7 else None,
                rating_count=rng.randint(0, 500),
                on_time_bps=rng.randint(7_000, 10_000),
            )
        )
    return result


def product(index: int, supplier: SupplierStanding, rng: random.Random) -> Document:
    moq = rng.choice([1, 10, 50, 100, 500])
    base = rng.randint(100, 5_000)

    def usd(amount: int) -> Money:
        return Money(amount=amount, currency="USD")

    terms = ProductTerms(
        title=f"{rng.choice(ADJECTIVES)} {rng.choice(MATERIALS)} {rng.choice(NOUNS)} {rng.randint(1, 999)}",
        category_id=f"c{index % 50}",
        parent_category_id=f"p{index % 10}",
        attributes={"colour": rng.choice(["red", "blue", "black"])},
        moq=moq,
        currency="USD",
        tiers=(
            PriceTier(min_qty=moq, max_qty=moq * 10 - 1, unit_price=usd(base)),
            PriceTier(min_qty=moq * 10, unit_price=usd(base * 9 // 10)),
        ),
        trade_assurance=rng.random() < 0.5,
        guaranteed=GuaranteedOffer(dispatch_within=timedelta(days=4)) if rng.random() < 0.2 else None,
        easy_return=rng.random() < 0.3,
    )
    # Easy Return is offered only on Trade Assurance listings (the listing rule refuses it otherwise).
    terms = terms.model_copy(update={"easy_return": terms.easy_return and terms.trade_assurance})
    listed = list_product(f"prod-{index:07d}", supplier.supplier_id, terms, NOW)
    document = product_document(
        listed, product_fields(listed, POLICY.red_flags), supplier_fields(supplier, POLICY.ranking)
    )
    document["orders"] = rng.randint(0, 2_000)
    return document


async def seed(client: AsyncMongoClient[Document], database: str, size: int) -> dict[str, float]:
    rng = random.Random(size)
    suppliers = standings(max(10, size // 100), rng)
    clock = Stopwatch()
    documents = [product(i, suppliers[i % len(suppliers)], rng) for i in range(size)]
    built = clock.seconds
    collection = client[database][PRODUCTS]
    clock = Stopwatch()
    for start in range(0, size, 2_000):
        try:
            await collection.insert_many(documents[start : start + 2_000], ordered=False)
        except BulkWriteError as error:
            # A batch the slow server applied but answered late is retried by the driver: duplicates only.
            if any(e["code"] != 11000 for e in error.details["writeErrors"]):
                raise
    assert await collection.count_documents({}) == size
    inserted = clock.seconds
    clock = Stopwatch()
    await ensure_indexes(client[database], [PRODUCT_INDEXES])
    return {"build_s": round(built, 1), "insert_s": round(inserted, 1), "index_s": round(clock.seconds, 1)}


async def latency(work: Callable[[], Awaitable[object]], repeat: int, budget_s: float) -> dict[str, float]:
    """p50/p99 over `repeat` runs, or fewer (at least 3) when they exceed the time budget."""
    await work()  # warm-up: connection, plan cache
    samples: list[float] = []
    spent = Stopwatch()
    while len(samples) < repeat and (len(samples) < 3 or spent.seconds < budget_s):
        started = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(percentile(samples, 0.5), 1),
        "p99_ms": round(percentile(samples, 0.99), 1),
        "n": len(samples),
    }


async def measure(
    client: AsyncMongoClient[Document], database: str, repeat: int, budget_s: float
) -> dict[str, Any]:
    search = ProductSearch(client[database], relevance_weight=POLICY.ranking.relevance_weight)
    products = client[database][PRODUCTS]
    figures: dict[str, Any] = {
        "bare_find_by_tag": await latency(
            lambda: products.find({"product_tags": "category:c7"}).limit(20).to_list(), repeat, budget_s
        ),
        "bare_find_by_id": await latency(
            lambda: products.find_one({"_id": "prod-0000042"}), repeat, budget_s
        ),
    }
    for name, params in SEARCHES.items():
        prepared = prepare(SearchQuery.model_validate(params))
        plan = await search.plan(search.pipeline(prepared, 20))
        facet_plan = await search.plan(search.facet_pipeline(prepared))
        assert "COLLSCAN" not in plan + facet_plan, (name, plan, facet_plan)
        page = await search.page(prepared, 20)
        lead = prepared.lead
        figures[name] = {
            "index": prepared.index,
            # the floor: a bare indexed find on the same predicate the search starts from
            "bare_find_same_index": await latency(
                lambda lead=lead: products.find(lead).limit(20).to_list(),  # type: ignore[misc]
                repeat,
                budget_s,
            ),
            "plan": "/".join(s for s in plan if s.isupper()),
            "hits_on_page": len(page.hits),
            "page": await latency(lambda p=prepared: search.page(p, 20), repeat, budget_s),  # type: ignore[misc]
            "facets": await latency(lambda p=prepared: search.facets(p), repeat, budget_s),  # type: ignore[misc]
            "matching": (await search.facets(prepared)).total,
        }
    return figures


async def run(sizes: list[int], repeat: int, budget_s: float) -> None:
    async with mongo_client("catalog") as client:
        for size in sizes:
            database = f"bench_catalog_{size}"
            await client.drop_database(database)
            seeding = await seed(client, database, size)
            figures = await measure(client, database, repeat, budget_s)
            report(f"catalog_search_{size}", {"products": size, "seeding": seeding, **figures})
            await client.drop_database(database)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--budget", type=float, default=6.0, help="seconds per measurement, at most")
    arguments = parser.parse_args()
    asyncio.run(run(arguments.sizes, arguments.repeat, arguments.budget))


if __name__ == "__main__":
    main()
