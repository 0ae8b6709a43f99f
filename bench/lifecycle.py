"""Whole order lifecycles per second through the four services as real processes, next to the floors.

    python -m bench.lifecycle [--journeys 60] [--concurrency 8] [--replicas 1] [--home DIR] [--json]
        [--profile escrow]

Starts the local stack (own namespace, vhost, free ports, SecantusDB servers, sandbox mode) and runs
concurrent buyers over HTTP through the happy path of deploy/journey: quote → order → payment intent →
sandbox provider succeeds → logistics opens the shipment → supplier dispatches → sandbox carrier delivers →
buyer confirms receipt → escrow releases. Event hops are timed on the broker (a tap queue on escrow's and
logistics' exchanges), and a wait the broker announces reads once the event is seen (one GET); escrow's own
state changes that emit no event (shipped, delivered) are polled with GET order.

Reported: journeys/s; p50/p99 per API call kind; event hops; MongoDB round trips per journey (each server's
serverStatus.network.numRequests; net of the bench's GET polls, whose cost is measured afterwards); broker
messages per journey (services' /metrics); CPU-ms per journey of each process (/proc); and, in the same
run, the floors: single-document inserts/s on escrow's server and confirmed publishes/s on the broker.
`--profile SERVICE` runs that service under cProfile and prints the profile's top entries;
`--trace-round-trips` counts each service's MongoDB commands by code site and by request kind (HTTP route,
event type, timer), with the reads a transaction repeated. Every figure issue 19 sets a target for is listed
next to it (`targets`, bench/lifecycle_targets.py). `--compare BEFORE.json` prints before/after ratios
against this run; `--compare BEFORE.json AFTER.json` only compares two results, without running.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import pstats
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.escrow import raw_inserts
from bench.event_tap import EventTap
from bench.lifecycle_targets import against_targets, print_comparison
from bench.messaging import raw_broker
from bench.stack_meters import StackMeters, StackReading, queued_messages
from bench.support import Stopwatch, percentile
from deploy.journey import Journey, Pace, Seller, Wait, money, new_seller
from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from deploy.local.stack import SERVICES, LocalStack
from deploy.local.vhosts import BrokerVhost, temporary_vhost

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
CALIBRATION_GETS = 40
TRACE_SITE = Path(__file__).with_name("round_trip_trace")


@dataclass
class Samples:
    """Latencies in seconds: per API call kind and per event hop."""

    calls: dict[str, list[float]] = field(default_factory=dict)
    hops: dict[str, list[float]] = field(default_factory=dict)

    def call(self, kind: str, seconds: float) -> None:
        self.calls.setdefault(kind, []).append(seconds)

    def hop(self, name: str, seconds: float) -> None:
        self.hops.setdefault(name, []).append(seconds)


@dataclass
class TimedCaller:
    """The journey's caller for the bench: each call timed under the name of the step that makes it."""

    client: PlatformClient
    samples: Samples
    step: str = ""

    def token(self, sub: str, role: str, tier: str | None = None) -> str:
        return self.client.token(sub, role, tier)

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json: Any = None,
        params: dict[str, str] | None = None,
        expect: int | tuple[int, ...] = (200, 201, 202),
    ) -> Any:
        clock = Stopwatch()
        answer = await self.client.call(
            service, method, path, token=token, json=json, params=params, expect=expect
        )
        # Reads are the journey's polls: escrow's GET order is netted out of the figures (`calibrate`).
        kind = self.step if method != "GET" else "GET order" if service == "escrow" else f"GET {service}"
        self.samples.call(kind, clock.seconds)
        return answer


@dataclass(kw_only=True)
class Tapped(Pace):
    """The bench's pace: a wait with a signal reads once the tap has seen that event; each wait is timed."""

    tap: EventTap
    caller: TimedCaller
    started: dict[str, float] = field(default_factory=dict)  # step → when its call was sent
    waits: dict[str, tuple[float, float]] = field(default_factory=dict)  # wait → (began, held)

    def step(self, name: str, journey: Journey) -> None:
        self.caller.step = name
        self.started[name] = time.perf_counter()

    async def until(
        self,
        wait: Wait,
        condition: Callable[[], Awaitable[bool]],
        *,
        last_seen: Callable[[], object] | None = None,
    ) -> None:
        began = time.perf_counter()
        if wait.signal is not None:
            await self.tap.seen(wait.signal, wait.order_id)
        await super().until(wait, condition, last_seen=last_seen)
        self.waits[wait.name] = (began, time.perf_counter())


class Buyers:
    """Runs one buyer's happy path at a time against a running stack, timing every call and hop."""

    def __init__(self, client: PlatformClient, tap: EventTap, samples: Samples, poll_seconds: float) -> None:
        self.client = client
        self.tap = tap
        self.samples = samples
        self.poll_seconds = poll_seconds

    async def journey(self, seller: Seller) -> float:
        """One happy path; returns its duration from the quote request to the release seen on the broker."""
        caller = TimedCaller(self.client, self.samples)
        pace = Tapped(patience=60, interval=self.poll_seconds, tap=self.tap, caller=caller)
        buyer_id = f"buyer-{uuid.uuid4().hex[:8]}"
        journey = Journey(caller, buyer_id, seller.supplier_id, seller.product_id, pace=pace)
        started = time.perf_counter()
        await journey.happy_path()

        order_id, hop = journey.order_id, self.samples.hop
        # From the request: the sandbox delivers the provider's webhook before it answers.
        paid = pace.started["sandbox succeed"]
        funded, _ = await self.tap.seen("escrow.order_funded", order_id)
        opened, _ = await self.tap.seen("logistics.shipment_created", order_id)
        released, _ = await self.tap.seen("escrow.funds_released", order_id)
        hop("succeed → escrow.order_funded", funded - paid)
        hop("order_funded → logistics.shipment_created", opened - funded)
        hop("succeed → shipment open", opened - paid)
        for status, name in (
            ("shipped", "dispatch → escrow shipped"),
            ("delivered", "delivered → escrow delivered"),
        ):
            began, held = pace.waits[status]
            hop(f"{name} (polled)", held - began)
        hop("confirm → escrow.funds_released", released - pace.waits["completed"][0])
        # The journey must really have ended in a release of everything the buyer paid.
        completed = await journey.order_document()
        assert completed["released"] == money(journey.total), completed
        self.tap.forget(order_id)
        return released - started


@dataclass
class Figures:
    journeys: int
    concurrency: int
    replicas: int
    seconds: float
    durations: list[float]
    samples: Samples
    spent: StackReading
    get_cost: StackReading
    raw_inserts_per_s: float
    raw_publishes_per_s: float
    ledger_breaches: int


def tracing_env(trips: Path) -> dict[str, str]:
    """Services load bench/round_trip_trace/sitecustomize.py, which writes their round trips by site."""
    trips.mkdir(parents=True, exist_ok=True)
    path = [str(TRACE_SITE), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {"PYTHONPATH": os.pathsep.join(path), "BENCH_ROUND_TRIPS_DIR": str(trips)}


async def run(args: argparse.Namespace, home: Path) -> tuple[Figures, Path | None]:
    profile = home / f"{args.profile}.pstats" if args.profile else None
    with temporary_vhost(AMQP_URL) as vhost:
        stack = LocalStack.beside_others(
            home,
            amqp_url=vhost.url,
            namespace=f"bench{uuid.uuid4().hex[:6]}",
            extra_env={
                "AMQP_QUEUE_TYPE": "classic",
                "RELAY_SWEEP_SECONDS": "1",
                "LOG_LEVEL": args.log_level,
                **({f"{args.profile.upper()}_PROFILE_PATH": str(profile)} if profile else {}),
                **(tracing_env(home / "round-trips") if args.trace_round_trips else {}),
            },
            replicas=args.replicas,
        )
        # Always a server per service, even with MONGO_URL set: round trips are counted per server.
        stack.mongo_url = None
        try:
            await stack.start()
            figures = await measure(stack, vhost, args)
        finally:
            await stack.stop()
    return figures, profile


async def measure(stack: LocalStack, vhost: BrokerVhost, args: argparse.Namespace) -> Figures:
    escrow_mongo = stack.database_url("escrow")
    floors = args.floor_ops
    raw_insert_rate = await raw_inserts(escrow_mongo, floors, args.concurrency)
    raw_publish_rate = await raw_broker(vhost.url, floors, args.concurrency, queue_type="classic")
    tap = EventTap(vhost.url, stack.namespace, producers=("escrow", "logistics"))
    await tap.start()
    try:
        return await journeys(stack, vhost, tap, args, raw_insert_rate, raw_publish_rate)
    finally:
        await tap.stop()


async def journeys(
    stack: LocalStack,
    vhost: BrokerVhost,
    tap: EventTap,
    args: argparse.Namespace,
    raw_insert_rate: float,
    raw_publish_rate: float,
) -> Figures:
    samples = Samples()
    async with PlatformClient.for_stack(stack) as client:
        meters = StackMeters(stack, client.session)
        buyers = Buyers(client, tap, samples, args.poll_ms / 1000)
        sellers = await asyncio.gather(
            *(new_seller(client, easy_return=False) for _ in range(args.concurrency))
        )
        # One journey untimed first, so connection set-up and first-call caches are not in the figures.
        await buyers.journey(sellers[0])
        samples.calls.clear()
        samples.hops.clear()
        pending = iter(range(args.journeys))  # shared: each buyer takes the next journey while any is left
        durations: list[float] = []

        async def buyer(seller: Seller) -> None:
            for _ in pending:
                durations.append(await buyers.journey(seller))

        before = await meters.read()
        clock = Stopwatch()
        await asyncio.gather(*(buyer(seller) for seller in sellers))
        seconds = clock.seconds
        # Costs include the tail: consumers still applying the last journeys' events.
        spent = (await quiet(meters, vhost)).spent(before)
        get_cost = await calibrate(meters, client, sellers[0])
        finance = client.token("fin-bench", "ops:finance")
        check = await client.call("escrow", "GET", "/v1/ledger/check", token=finance)
        await meters.close()
    return Figures(
        journeys=args.journeys,
        concurrency=args.concurrency,
        replicas=args.replicas,
        seconds=seconds,
        durations=durations,
        samples=samples,
        spent=spent,
        get_cost=get_cost,
        raw_inserts_per_s=raw_insert_rate,
        raw_publishes_per_s=raw_publish_rate,
        ledger_breaches=len(check["breaches"]),
    )


async def quiet(meters: StackMeters, vhost: BrokerVhost) -> StackReading:
    """A reading taken once the stack is idle: no message queued for a consumer (when rabbitmqctl can tell)
    and no service published or consumed one since the previous reading."""
    readings = [await meters.read()]

    def messages(reading: StackReading) -> tuple[float, float]:
        handled = sum(sum(by.values()) for by in reading.handled.values())
        return sum(reading.published.values()), handled

    async def settled() -> bool:
        drained = not vhost.owned or await queued_messages(vhost.vhost) == 0
        readings.append(await meters.read())
        return drained and messages(readings[-1]) == messages(readings[-2])

    await eventually(settled, timeout=120, interval=0.5)
    return readings[-1]


async def calibrate(meters: StackMeters, client: PlatformClient, seller: Seller) -> StackReading:
    """What the stack spends on CALIBRATION_GETS of the bench's GET order polls, to take them out."""
    journey = Journey(client, "buyer-calibration", seller.supplier_id, seller.product_id)
    await journey.place_order()
    before = await meters.read()
    for _ in range(CALIBRATION_GETS):
        await journey.order_document()
    return (await meters.read()).spent(before)


def summarise(figures: Figures) -> dict[str, Any]:
    journeys, spent, cost = figures.journeys, figures.spent, figures.get_cost
    polls = len(figures.samples.calls.get("GET order", []))
    trips_gross = sum(spent.mongo_requests.values()) / journeys
    # The polls are escrow's GET order: take their measured cost out of escrow's figures only.
    trips_per_get = cost.mongo_requests["escrow"] / CALIBRATION_GETS
    trips_by_service = {name: count / journeys for name, count in spent.mongo_requests.items()}
    trips_by_service["escrow"] -= polls * trips_per_get / journeys
    trips = sum(trips_by_service.values())
    busiest = max(trips_by_service, key=lambda name: trips_by_service[name])
    published = sum(spent.published.values()) / journeys
    handled = sum(sum(by.values()) for by in spent.handled.values()) / journeys
    rate = journeys / figures.seconds
    cpu = {name: ms / journeys for name, ms in sorted(spent.cpu_ms.items())}
    poll_cpu = (cost.cpu_ms["escrow"] + cost.cpu_ms["mongo-escrow"]) / CALIBRATION_GETS * polls / journeys
    # The issue's split: the services' processes and the databases', each net of the polls' share.
    poll_service_cpu = cost.cpu_ms["escrow"] / CALIBRATION_GETS * polls / journeys
    services_cpu = sum(ms for name, ms in cpu.items() if not name.startswith("mongo-")) - poll_service_cpu
    databases_cpu = sum(ms for name, ms in cpu.items() if name.startswith("mongo-"))
    databases_cpu -= poll_cpu - poll_service_cpu
    summary = {
        "journeys": journeys,
        "concurrency": figures.concurrency,
        "replicas": figures.replicas,
        "seconds": round(figures.seconds, 2),
        "journeys_per_s": round(rate, 2),
        "journey_s": quantiles(figures.durations),
        "call_ms": {kind: quantiles(values, 1000) for kind, values in figures.samples.calls.items()},
        "hop_ms": {name: quantiles(values, 1000) for name, values in figures.samples.hops.items()},
        "get_order_polls_per_journey": round(polls / journeys, 1),
        "mongo_round_trips_per_journey": round(trips, 1),
        "mongo_round_trips_per_journey_with_polls": round(trips_gross, 1),
        "mongo_round_trips_per_get_order": round(trips_per_get, 2),
        "mongo_round_trips_per_journey_by_service": {
            name: round(count, 1) for name, count in trips_by_service.items()
        },
        "mongo_ops_per_journey_by_service": {
            name: {op: round(n / journeys, 1) for op, n in ops.items() if n}
            for name, ops in spent.mongo_ops.items()
        },
        "broker_published_per_journey": round(published, 2),
        "broker_consumed_per_journey": round(handled, 2),
        "consumed_by_outcome": {
            name: {outcome: n for outcome, n in by.items() if n} for name, by in spent.handled.items()
        },
        "cpu_ms_per_journey": {name: round(ms, 1) for name, ms in cpu.items()},
        "cpu_ms_per_journey_total": round(sum(cpu.values()), 1),
        "cpu_ms_per_journey_net_of_polls": round(sum(cpu.values()) - poll_cpu, 1),
        "cpu_ms_per_journey_services": round(services_cpu, 1),
        "cpu_ms_per_journey_databases": round(databases_cpu, 1),
        "floor_raw_inserts_per_s": round(figures.raw_inserts_per_s, 1),
        "floor_raw_confirmed_publishes_per_s": round(figures.raw_publishes_per_s, 1),
        # If each round trip of the busiest MongoDB server cost one raw insert and each message one raw
        # confirmed publish (+ consume): the journeys/s each server alone would allow, and our share of it.
        "mongo_floor_server": busiest,
        "mongo_floor_journeys_per_s": round(figures.raw_inserts_per_s / trips_by_service[busiest], 2),
        "broker_floor_journeys_per_s": round(figures.raw_publishes_per_s / published, 2),
        "journeys_vs_mongo_floor": round(rate * trips_by_service[busiest] / figures.raw_inserts_per_s, 3),
        "journeys_vs_broker_floor": round(rate * published / figures.raw_publishes_per_s, 3),
        "ledger_breaches": figures.ledger_breaches,
    }
    return {**summary, "targets": against_targets(summary)}


def quantiles(values: list[float], scale: float = 1.0) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": round(percentile(values, 0.5) * scale, 1),
        "p99": round(percentile(values, 0.99) * scale, 1),
    }


def print_table(summary: dict[str, Any], out: Callable[[str], None]) -> None:
    out(f"\n== lifecycle: {summary['journeys']} journeys, concurrency {summary['concurrency']} ==")
    for key, value in summary.items():
        if (
            isinstance(value, dict)
            and value
            and all(isinstance(v, dict) and "p50" in v for v in value.values())
        ):
            out(f"  {key} {'':<44} {'n':>5} {'p50':>9} {'p99':>9}")
            for name, q in value.items():
                out(f"    {name:<52} {q['n']:>5} {q['p50']:>9} {q['p99']:>9}")
        elif key == "targets":
            out(f"  targets (issue 19) {'':<53} {'value':>9} {'target':>8}  met")
            for row in value:
                met = {True: "yes", False: "NO", None: ""}[row["met"]]
                out(f"    {row['figure']:<70} {_shown(row['value']):>9} {row['target'] or '':>8}  {met}")
        elif isinstance(value, dict) and "p50" in value:
            out(f"  {key:<54} p50 {value['p50']}  p99 {value['p99']}")
        else:
            out(f"  {key:<54} {value}")


def _shown(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def print_profile(path: Path, top: int, out: Callable[[str], None]) -> None:
    out(f"\n== profile {path.name}: top {top} by own time, then by cumulative time ==")
    for order in ("tottime", "cumulative"):
        text = io.StringIO()
        pstats.Stats(str(path), stream=text).strip_dirs().sort_stats(order).print_stats(top)
        for line in text.getvalue().splitlines():
            if line.strip():
                out(line)


def print_round_trips(directory: Path, top: int, journeys: int, out: Callable[[str], None]) -> None:
    out("\n== MongoDB round trips by calling site, over each service's whole life (set-up included) ==")
    for table in sorted(directory.glob("*.tsv")):
        if table.name.endswith(".kinds.tsv"):
            continue
        out(f"  {table.stem}")
        for line in table.read_text().splitlines()[:top]:
            count, command, site = line.split("\t")
            out(f"    {count:>6} {command:<18} {site}")
    # The untimed first journey runs too: a kind done once per journey shows `journeys + 1` times.
    runs = journeys + 1
    out(f"\n== MongoDB round trips by request kind, ÷ {runs} journeys (set-up and calibration included) ==")
    for table in sorted(directory.glob("*.kinds.tsv")):
        kinds: dict[str, tuple[dict[str, int], int]] = {}
        for line in table.read_text().splitlines():
            count, command, kind, repeated = line.split("\t")
            commands, _ = kinds.setdefault(kind, ({}, int(repeated)))
            commands[command] = int(count)
        out(f"  {table.name.removesuffix('.kinds.tsv')}")
        by_total = sorted(kinds.items(), key=lambda item: -sum(item[1][0].values()))
        for kind, (sent, repeats) in by_total[:top]:
            split = ", ".join(f"{command} {n / runs:.1f}" for command, n in sent.items())
            total = sum(sent.values()) / runs
            out(f"    {total:>6.1f} {kind:<58} repeated reads {repeats / runs:.1f}: {split}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--journeys", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--replicas", type=int, default=1, help="processes per service (a service's CPU is their sum)"
    )
    parser.add_argument(
        "--home", type=Path, default=None, help="stack's keys, data, logs (default: a temp dir)"
    )
    parser.add_argument("--floor-ops", type=int, default=2000, help="inserts and publishes of each floor")
    parser.add_argument("--poll-ms", type=float, default=100, help="GET order polling interval")
    parser.add_argument("--profile", choices=sorted(SERVICES), help="run this service under cProfile")
    parser.add_argument("--profile-top", type=int, default=25)
    parser.add_argument(
        "--trace-round-trips", action="store_true", help="count each service's MongoDB commands by code site"
    )
    parser.add_argument(
        "--log-level", default="INFO", help="services' log level (INFO: a JSON line per request, as deployed)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON document")
    parser.add_argument(
        "--compare",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="BEFORE: print before/after ratios against this run; BEFORE AFTER: compare two results only",
    )
    args = parser.parse_args()
    if args.compare and len(args.compare) > 2:
        parser.error("--compare takes BEFORE.json, or BEFORE.json AFTER.json")
    if args.compare and len(args.compare) == 2:
        before, after = (json.loads(path.read_text()) for path in args.compare)
        print_comparison(before, after, print)
        return
    if args.journeys < 1 or args.concurrency < 1:
        parser.error("--journeys and --concurrency must be at least 1")

    def out(line: str) -> None:
        print(line, file=sys.stderr if args.json else sys.stdout)

    with tempfile.TemporaryDirectory(prefix="bench-lifecycle-") as scratch:
        home = args.home or Path(scratch)
        figures, profile = asyncio.run(run(args, home))
        summary = summarise(figures)
        print_table(summary, out)
        if profile is not None:
            print_profile(profile, args.profile_top, out)
        if args.trace_round_trips:
            print_round_trips(home / "round-trips", args.profile_top, args.journeys, out)
        if args.compare:
            print_comparison(json.loads(args.compare[0].read_text()), {"bench": "lifecycle", **summary}, out)
    if args.json:
        print(json.dumps({"bench": "lifecycle", **summary}))


if __name__ == "__main__":
    main()
