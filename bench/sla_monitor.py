"""SLA monitor sweep cost: it follows the shipments due, not the shipments stored.

    python -m bench.sla_monitor [--sizes 10000 100000] [--due 100] [--mongo-url URL]

Same run, same server: shipments are bulk-inserted directly (none due), then for each size the
monitor sweeps with 0 and with `--due` shipments past their deadline. Printed per case: sweep time,
breaches fired, and the query plan of the due lookup (stage, keys and documents examined). An
unindexed scan of the same filter is timed beside it to show what the index saves.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pymongo import ASCENDING

from bench.support import Stopwatch, report
from deploy.local.servers import start_mongo_server
from services.logistics.adapters.carrier import NoCarrierConfigured
from services.logistics.adapters.repositories import SHIPMENTS, SLA_DUE_FIELD, storable_due
from services.logistics.app import monitor, over_mongo
from services.logistics.domain.promise import DeliveryPromise
from services.logistics.domain.shipment import FundedOrder, create_shipment
from services.logistics.handlers.logistics import Logistics
from services.logistics.settings import LogisticsSettings
from shared.clock import ManualClock
from shared.mongo import Document, ensure_indexes
from shared.platform import Platform

NOW = datetime(2026, 6, 1, tzinfo=UTC)
INSERT_BATCH = 5_000


def shipment_documents(count: int, *, funded_at: datetime) -> list[Document]:
    """`count` stored shipments (as the repository writes them) funded at `funded_at`."""
    # Escrow's promise for 72 h handling and 5 transit days; only the deadlines' order matters here.
    deadline = funded_at + timedelta(hours=72)
    promise = DeliveryPromise(
        funded_at=funded_at,
        handling_time=timedelta(hours=72),
        dispatch_deadline=deadline,
        transit_days=5,
        destination_timezone="America/New_York",
        promised_delivery_date=deadline.date() + timedelta(days=5),
        delivery_late_from=deadline + timedelta(days=6),
    )
    order = FundedOrder(
        order_id="template",
        buyer_id="b-1",
        supplier_id="s-1",
        guaranteed=False,
        destination_country="US",
        promise=promise,
    )
    template, _ = create_shipment(shipment_id="template", order=order, route=None)
    base = template.model_dump(mode="json") | {SLA_DUE_FIELD: storable_due(template.sla_due_at), "version": 1}
    documents = []
    for _ in range(count):
        shipment_id = str(uuid.uuid4())
        documents.append(
            base | {"_id": shipment_id, "shipment_id": shipment_id, "order_id": f"o-{shipment_id}"}
        )
    return documents


async def insert(platform: Platform, documents: list[Document]) -> None:
    collection = platform.db[SHIPMENTS]
    for start in range(0, len(documents), INSERT_BATCH):
        await collection.insert_many(documents[start : start + INSERT_BATCH], ordered=False)


async def due_plan(platform: Platform, now: datetime, limit: int) -> dict[str, Any]:
    """The plan of the monitor's due lookup: winning stages, keys and documents examined."""
    command = {
        "find": SHIPMENTS,
        "filter": {SLA_DUE_FIELD: {"$lte": now}},
        "projection": {SLA_DUE_FIELD: 1},
        "sort": {SLA_DUE_FIELD: 1},
        "limit": limit,
    }
    try:
        explained = await platform.db.command("explain", command, verbosity="executionStats")
    except Exception as error:  # a server without explain still gets its sweep timed
        return {"plan": f"explain unavailable: {error}"}
    stats = explained.get("executionStats", {})
    return {
        "plan_stages": _stages(explained.get("queryPlanner", {}).get("winningPlan", {})),
        "keys_examined": stats.get("totalKeysExamined"),
        "docs_examined": stats.get("totalDocsExamined"),
    }


def _stages(plan: dict[str, Any]) -> str:
    stages = []
    while plan:
        stages.append(str(plan.get("stage")))
        plan = plan.get("inputStage") or {}
    return " <- ".join(stages)


async def unindexed_scan_ms(platform: Platform, now: datetime) -> float:
    watch = Stopwatch()
    await (
        platform.db[SHIPMENTS].find({SLA_DUE_FIELD: {"$lte": now}}).hint([("$natural", ASCENDING)]).to_list()
    )
    return round(watch.seconds * 1000, 2)


async def sweep_case(platform: Platform, logistics: Logistics, total: int, due: int) -> dict[str, Any]:
    settings = platform.settings
    assert isinstance(settings, LogisticsSettings)
    timer = monitor(platform, settings, logistics)
    plan = await due_plan(platform, NOW, settings.sla_batch_size)
    watch = Stopwatch()
    fired = await timer.sweep()
    seconds = watch.seconds
    return {
        f"{total}_shipments_{due}_due": {
            "sweep_ms": round(seconds * 1000, 2),
            "fired": fired,
            **plan,
            "unindexed_scan_ms": await unindexed_scan_ms(platform, NOW),
        }
    }


async def run(mongo_url: str, sizes: list[int], due: int) -> dict[str, Any]:
    settings = LogisticsSettings(mongo_url=mongo_url, mongo_db=f"bench_sla_{uuid.uuid4().hex[:6]}")
    platform = Platform(settings, clock=ManualClock(NOW))
    logistics = over_mongo(platform, settings, NoCarrierConfigured()).logistics
    figures: dict[str, Any] = {}
    try:
        await ensure_indexes(platform.db, [monitor(platform, settings, logistics).index])
        stored = 0
        for size in sorted(sizes):
            # Not due for weeks: funded after NOW.
            await insert(platform, shipment_documents(size - stored, funded_at=NOW + timedelta(days=1)))
            stored = size
            figures |= await sweep_case(platform, logistics, size, 0)
            # Past their dispatch deadline: the monitor reports each.
            await insert(platform, shipment_documents(due, funded_at=NOW - timedelta(days=4)))
            figures |= await sweep_case(platform, logistics, size, due)
    finally:
        await platform.client.drop_database(settings.mongo_db)
        await platform.client.close()
    return figures


async def main(sizes: list[int], due: int, mongo_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as home:
        server = None if mongo_url else start_mongo_server(Path(home))
        url = mongo_url or (server.url if server else "")
        try:
            figures = await run(url, sizes, due)
        finally:
            if server is not None:
                server.stop()
    report("sla_monitor", {"due_per_case": due, **figures})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--mongo-url", default=None, help="use this server instead of starting SecantusDB")
    args = parser.parse_args()
    asyncio.run(main(args.sizes, args.due, args.mongo_url))
