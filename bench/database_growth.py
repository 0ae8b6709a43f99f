"""Two database costs that grow with what a server has seen, and the choices that avoid them.

    python -m bench.database_growth [--writes 13000] [--records 20000] [--repeat 50]

Each measurement gets a fresh server (MONGO_URL: that server instead) and prints one JSON line:

- `retryable_writes`: single-document inserts per second, in steps of 1,000, with retryable writes on
  (PyMongo's default) and off. SecantusDB keeps every retryable write's reply for 30 minutes, up to
  10,000, and scans them on each write (sorting them too once the cap is reached), so with them on the
  rate falls as writes accumulate. The servers this project starts are used without them
  (`deploy.local.servers.secantus_url`).
- `document_id`: milliseconds per `update_one` and `find_one` by `_id` among `--records` records, the
  `_id` a document (the earlier idempotency record) or a string (`shared.http.idempotency.record_key`).
  SecantusDB answers an equality on a document `_id` by scanning the collection.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from pymongo import AsyncMongoClient

from bench.support import Stopwatch, mongo_server, report
from shared.mongo import Document

STEP = 1_000


async def inserts_per_second(url: str, *, retry_writes: bool, writes: int) -> list[int]:
    """Inserts per second in each step of STEP, one at a time, as a service's plain writes go."""
    client: AsyncMongoClient[Document] = AsyncMongoClient(url, retryWrites=retry_writes)
    collection = client["bench_growth"][f"inserts_{retry_writes}"]
    rates = []
    try:
        for step in range(writes // STEP):
            watch = Stopwatch()
            for index in range(STEP):
                await collection.insert_one({"n": step * STEP + index})
            rates.append(round(STEP / watch.seconds))
    finally:
        await client.drop_database("bench_growth")
        await client.close()
    return rates


async def per_operation_ms(operation: Callable[[int], Awaitable[Any]], repeat: int) -> float:
    watch = Stopwatch()
    for index in range(repeat):
        await operation(index)
    return round(watch.seconds / repeat * 1000, 2)


async def document_id_costs(url: str, *, records: int, repeat: int) -> dict[str, float]:
    client: AsyncMongoClient[Document] = AsyncMongoClient(url, retryWrites=False)
    db = client["bench_growth"]

    def document_id(index: int) -> Document:
        return {"scope": "buyer-1", "method": "POST", "path": f"/v1/orders/{index}", "key": f"k{index}"}

    def string_id(index: int) -> str:
        return f'["buyer-1","POST","/v1/orders/{index}","k{index}"]'

    try:
        for name, make_id in (("document", document_id), ("string", string_id)):
            await db[name].insert_many([{"_id": make_id(index), "lease": "l"} for index in range(records)])
        figures: dict[str, float] = {}
        for name, make_id in (("document", document_id), ("string", string_id)):
            collection = db[name]

            async def update(index: int, collection: Any = collection, make_id: Any = make_id) -> None:
                await collection.update_one(
                    {"_id": make_id(index), "lease": "l"}, {"$set": {"state": "done"}}
                )

            async def find(index: int, collection: Any = collection, make_id: Any = make_id) -> None:
                await collection.find_one({"_id": make_id(index)})

            figures[f"{name}_id_update_ms"] = await per_operation_ms(update, repeat)
            figures[f"{name}_id_find_ms"] = await per_operation_ms(find, repeat)
        return figures
    finally:
        await client.drop_database("bench_growth")
        await client.close()


async def run(writes: int, records: int, repeat: int) -> None:
    for retry_writes in (True, False):
        async with mongo_server("growth") as url:
            rates = await inserts_per_second(url, retry_writes=retry_writes, writes=writes)
        report(
            f"retryable_writes_{'on' if retry_writes else 'off'}",
            {"inserts_per_s_by_thousand": rates, "first": rates[0], "last": rates[-1]},
        )
    async with mongo_server("growth") as url:
        figures = await document_id_costs(url, records=records, repeat=repeat)
    report("document_id", {"records": records, **figures})


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writes", type=int, default=13_000)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=50)
    arguments = parser.parse_args()
    asyncio.run(run(arguments.writes, arguments.records, arguments.repeat))


if __name__ == "__main__":
    main()
