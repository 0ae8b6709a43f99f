"""Every list of every service at 10k and 100k documents: the first page, and a page 50 cursors deep.

    python -m bench.lists [--sizes 10000 100000] [--repeat 30] [--budget 5]

Each collection a list reads is filled with `size` documents carrying every field its lists scope and
sort by (and ~1 KB besides, like a stored aggregate), with one party holding about 1,100 of them whatever
the size, so a party's page 50 exists at 10k and at 100k alike. Pages are read through `shared.paging`,
exactly as the services read them: the list's own index as the hint, the cursor from the previous page.
Prints p50/p99 in milliseconds per list, scope and depth, then the 100k/10k ratio of each p50. The first
row, `engine_probe`, is the server alone (an equality + sort page on a two-field index, no list code): a
list cannot grow less than the server it reads from does.
Set MONGO_URL to measure a real MongoDB; otherwise a SecantusDB server is started for the run.
"""

from __future__ import annotations

import argparse
import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from bench.support import Stopwatch, mongo_client, percentile, report
from deploy.asyncapi import built_apps
from shared.mongo import Document, ensure_indexes
from shared.paging import Listing, ListSpec, read_page
from shared.service import INDEXES, LISTS

NOW = datetime(2026, 12, 1, tzinfo=UTC)
PARTY = "p-0"
PARTY_ITEMS = 1_100
DEPTH = 50
LIMIT = 20
FILLER = "x" * 1_000


def every_list() -> list[ListSpec]:
    return [spec for _, app in built_apps(sandbox=True) for spec in app[LISTS]]


def _set(document: Document, path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    for parent in parents:
        document = document.setdefault(parent, {})
    document[leaf] = value


def _documents(specs: Iterable[ListSpec], size: int, rng: random.Random, unique: set[str]) -> list[Document]:
    scope_fields = {field for spec in specs for scope in spec.scopes for field in scope}
    sort_fields = {key for spec in specs for ordering in spec.orderings for key, _ in ordering.keys}
    every = max(1, size // PARTY_ITEMS)
    documents = []
    for index in range(size):
        document: Document = {"_id": f"item-{index:07d}", "filler": FILLER}
        for field in scope_fields:
            _set(document, field, PARTY if index % every == 0 else f"p-{rng.randint(1, 5_000)}")
        for field in sort_fields - scope_fields:
            moment = NOW - timedelta(seconds=rng.randint(0, 90 * 86_400))
            # Sort keys are dates (`placed_at`, `due_at`) or names: a plausible value of either kind.
            _set(document, field, moment if field.endswith(("_at", "_due", "deadline")) else f"n{index:07d}")
        # Fields under a unique index (one shipment per order) get a value of their own.
        for field in unique - scope_fields - sort_fields:
            _set(document, field, f"u{index:07d}")
        documents.append(document)
    return documents


async def seed(db: AsyncDatabase[Document], lists: list[ListSpec], size: int) -> float:
    watch = Stopwatch()
    rng = random.Random(size)
    by_collection: dict[str, list[ListSpec]] = {}
    for spec in lists:
        by_collection.setdefault(spec.collection, []).append(spec)
    indexes = [index for _, app in built_apps(sandbox=True) for index in app[INDEXES]]
    for collection, specs in by_collection.items():
        unique = {
            str(field)
            for index in indexes
            if index.collection == collection
            for model in index.models
            if model.document.get("unique")
            for field in model.document["key"]
        }
        documents = _documents(specs, size, rng, unique)
        for start in range(0, size, 5_000):
            await db[collection].insert_many(documents[start : start + 5_000], ordered=False)
    await ensure_indexes(db, [index for index in indexes if index.collection in by_collection])
    return round(watch.seconds, 1)


async def _timed(read: Callable[[], Awaitable[int]], repeat: int, budget_s: float) -> dict[str, float]:
    """p50/p99 ms of `read` (which returns how many items it read: a full page every time)."""
    samples: list[float] = []
    spent = Stopwatch()
    while len(samples) < repeat and (len(samples) < 3 or spent.seconds < budget_s):
        watch = Stopwatch()
        items = await read()
        samples.append(watch.seconds * 1_000)
        assert items == LIMIT, f"{items} items"
    return {"p50": round(percentile(samples, 0.5), 2), "p99": round(percentile(samples, 0.99), 2)}


def _page(db: AsyncDatabase[Document], listing: Listing) -> Callable[[], Awaitable[int]]:
    async def read() -> int:
        return len((await read_page(db[listing.spec.collection], listing)).items)

    return read


async def _deep(db: AsyncDatabase[Document], first: Listing) -> Listing:
    """The listing of page DEPTH + 1: its cursor is the one issued after the last item of page DEPTH."""
    found = db[first.spec.collection].find(
        first.query(), sort=first.ordering.sort, skip=DEPTH * LIMIT - 1, limit=1, hint=first.index
    )
    last = await found.to_list()
    assert last, f"{first.spec.name}: fewer than {DEPTH} pages"
    return replace(first, cursor=first.cursor_after(last[0]))


async def measure(
    db: AsyncDatabase[Document], lists: list[ListSpec], repeat: int, budget_s: float
) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for spec in lists:
        for scope in spec.scopes:
            name = f"{spec.name}[{'+'.join(scope) or 'desk'}]"
            first = spec.listing(scope=dict.fromkeys(scope, PARTY), limit=LIMIT)
            figures[f"{name} first"] = await _timed(_page(db, first), repeat, budget_s)
            deep = await _deep(db, first)
            figures[f"{name} page {DEPTH + 1}"] = await _timed(_page(db, deep), repeat, budget_s)
    return figures


ENGINE_PROBE = "engine_probe"


async def engine_probe(
    db: AsyncDatabase[Document], size: int, repeat: int, budget_s: float
) -> dict[str, float]:
    """The server's own growth, with no code of ours in the way: one party's newest 20 of its 100 among
    `size` small documents, on an index of (party, time) named as the hint. On MongoDB the plan walks 20
    index entries whatever the size; a server whose time for it grows with the collection bounds every
    list above."""
    collection = db[ENGINE_PROBE]
    await collection.create_index([("party", 1), ("at", -1)], name="party_at")
    parties = max(1, size // 100)  # each holds 100 documents, whatever the size
    await collection.insert_many([{"_id": i, "party": f"p{i % parties}", "at": i} for i in range(size)])

    async def read() -> int:
        newest = collection.find({"party": "p0"}, sort=[("at", -1)], limit=LIMIT, hint="party_at")
        return len(await newest.to_list())

    return await _timed(read, repeat, budget_s)


async def run(sizes: list[int], repeat: int, budget_s: float) -> None:
    lists = every_list()
    results: dict[int, dict[str, Any]] = {}
    async with mongo_client("lists") as client:
        for size in sizes:
            database = f"bench_lists_{size}"
            await client.drop_database(database)
            seeding = await seed(client[database], lists, size)
            results[size] = {
                f"{ENGINE_PROBE} (no list code)": await engine_probe(
                    client[database], size, repeat, budget_s
                ),
                **await measure(client[database], lists, repeat, budget_s),
            }
            report(f"lists_{size}", {"documents": size, "seeding_s": seeding, **results[size]})
            await client.drop_database(database)
    if len(sizes) >= 2:
        low, high = results[sizes[0]], results[sizes[-1]]
        ratios = {key: round(high[key]["p50"] / max(low[key]["p50"], 0.01), 2) for key in low}
        report(f"lists_ratio_{sizes[-1]}_over_{sizes[0]}", {**ratios, "worst": max(ratios.values())})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--budget", type=float, default=5.0, help="seconds per measurement (3 reads at least)"
    )
    arguments = parser.parse_args()
    asyncio.run(run(arguments.sizes, arguments.repeat, arguments.budget))


if __name__ == "__main__":
    main()
