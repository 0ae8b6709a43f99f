"""What one MongoDB round trip costs the calling process's CPU, through PyMongo's AsyncMongoClient.

    python -m bench.driver_cost [--operations 3000]

A service's CPU per lifecycle journey has a part that only fewer round trips can lower: each round trip
costs the driver its message encoding and decoding, two tasks (the read and a cancellation poll) and a
wait on them, and the event loop's turns for each (`pymongo.network_layer.async_receive_message`). This
measures that part alone: one client, one operation at a time (as a request's are), on a fresh server
(MONGO_URL: that server instead), in this process's CPU time. Prints one JSON line per operation kind:
CPU ms and wall ms per round trip. `bench.lifecycle`'s round trips per journey times the CPU figure is the
driver's share of the services' CPU per journey.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from pymongo import AsyncMongoClient

from bench.support import mongo_server, report
from shared.mongo import Document

WARM_UP = 200


async def cost_of(operation: Callable[[], Awaitable[Any]], operations: int) -> dict[str, float]:
    """CPU and wall milliseconds per call of `operation`, after a warm-up."""
    for _ in range(WARM_UP):
        await operation()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(operations):
        await operation()
    return {
        "cpu_ms": round((time.process_time() - cpu) / operations * 1000, 3),
        "wall_ms": round((time.perf_counter() - wall) / operations * 1000, 3),
    }


async def run(operations: int) -> None:
    async with mongo_server("driver") as url:
        client: AsyncMongoClient[Document] = AsyncMongoClient(url, retryWrites=False)
        collection = client["bench_driver"]["documents"]
        try:
            await collection.insert_one({"_id": "one", "n": 0})
            kinds: dict[str, Callable[[], Awaitable[Any]]] = {
                "find_one_by_id": lambda: collection.find_one({"_id": "one"}),
                "update_one_by_id": lambda: collection.update_one({"_id": "one"}, {"$inc": {"n": 1}}),
            }
            for kind, operation in kinds.items():
                report(kind, {"operations": operations, **await cost_of(operation, operations)})
        finally:
            await client.drop_database("bench_driver")
            await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--operations", type=int, default=3_000)
    asyncio.run(run(parser.parse_args().operations))


if __name__ == "__main__":
    main()
