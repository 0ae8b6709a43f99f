"""Hundreds of concurrent order journeys while services and their databases are SIGKILLed and paused,
services are cut off from the broker and the broker itself restarts: afterwards every journey ends where
it must, soon after the last fault, the books balance, and every event reached every subscriber once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from typing import Any

from deploy.journey import money, new_seller
from deploy.local.client import PlatformClient
from deploy.local.polling import eventually
from deploy.local.stack import LocalStack
from tests.fault.audit import EventAudit, audit_events
from tests.fault.conftest import REPORT
from tests.fault.faults import BrokerControl, FaultInjector
from tests.fault.journeys import Caller, PlannedJourney, drive
from tests.fault.plan import SERVICES, ChaosPlan, JourneyKind

JOURNEYS = int(os.environ.get("CHAOS_JOURNEYS", "200"))
# Buyers arrive over 90 % of it: 200 over 81 s is 2.5 journeys a second, below what a 2-core machine serves
# without faults (3.2 a second in bench/lifecycle on the machine CI runs on), so that the recovery bound
# measures how fast the platform heals, not how long a queue of buyers the faults did not cause drains.
WINDOW_SECONDS = float(os.environ.get("CHAOS_WINDOW_SECONDS", "90"))
# On a broker other people are using, CHAOS_BROKER_RESTARTS=0 keeps the faults inside the suite's vhost.
BROKER_RESTARTS = os.environ.get("CHAOS_BROKER_RESTARTS", "1") != "0"
# The long mode (`make chaos-long`): the broker stopped once for longer than the relay's back-off (about
# 40 s, too long for the default run's budget), at least this many faults, this many replicas a service.
BROKER_OUTAGE = os.environ.get("CHAOS_BROKER_OUTAGE", "0") == "1"
MIN_FAULTS = int(os.environ.get("CHAOS_MIN_FAULTS", "0"))
# At most this many journeys in flight at once (`make chaos-long` lifts it to every journey of the run).
CONCURRENCY = int(os.environ.get("CHAOS_CONCURRENCY", "50"))
SUPPLIERS = 5
# How long after the last fault every journey must have reached its end (issue 17).
RECOVERY_BOUND_SECONDS = 30.0
# A journey gives up only long after that: a slow recovery is measured and reported, not cut short.
PATIENCE_SECONDS = WINDOW_SECONDS + 150.0
# Events an order produces at most once in these journeys: a second one would be an effect applied twice.
ONCE_PER_ORDER = frozenset(
    {
        "escrow.order_placed",
        "escrow.order_funded",
        "escrow.order_cancelled",
        "escrow.receipt_confirmed",
        "escrow.funds_released",
        "escrow.refund_issued",
        "logistics.shipment_created",
        "logistics.shipment_dispatched",
        "logistics.shipment_delivered",
    }
)


async def test_every_journey_ends_where_it_must_and_nothing_is_lost_or_doubled_under_faults(
    chaos_stack: LocalStack, broker_control: BrokerControl, chaos_seed: int
) -> None:
    replicas = len(chaos_stack.replicas_of(SERVICES[0]))  # CHAOS_REPLICAS
    plan = ChaosPlan.generate(
        chaos_seed,
        journeys=JOURNEYS,
        window_seconds=WINDOW_SECONDS,
        mean_gap_seconds=4.0,
        broker_restarts=BROKER_RESTARTS,
        # Database faults strike the stack's own servers; with MONGO_URL there are none to strike.
        database_faults=chaos_stack.mongo_url is None,
        broker_outage=BROKER_OUTAGE and BROKER_RESTARTS,
        replicas=replicas,
        min_faults=MIN_FAULTS,
    )
    # The seed pins a plan for these settings: a long run's seed replays only in the long mode.
    rerun = f"re-run with CHAOS_SEED={plan.seed} make {'chaos-long' if BROKER_OUTAGE else 'chaos'}"
    REPORT.append(f"seed {plan.seed} ({rerun})")
    run = uuid.uuid4().hex[:6]
    async with PlatformClient.for_stack(chaos_stack) as client:
        caller = Caller(client, patience=PATIENCE_SECONDS)
        # Verified Trade Assurance suppliers with a product each, before any fault strikes.
        suppliers = [await new_seller(client, easy_return=False) for _ in range(SUPPLIERS)]
        journeys = [
            PlannedJourney(index, kind, suppliers[index % SUPPLIERS], f"buyer-{run}-{index}")
            for index, kind in enumerate(plan.journeys)
        ]
        injector = FaultInjector(chaos_stack, broker_control)
        slots = asyncio.Semaphore(CONCURRENCY)
        in_flight = InFlight()

        async def one(journey: PlannedJourney, arrival: float) -> None:
            await asyncio.sleep(arrival)  # the buyer arrives at its planned second
            async with slots, in_flight:
                await drive(caller, journey)

        started = time.monotonic()
        try:
            await asyncio.gather(
                injector.run(plan.faults, started),
                *(one(journey, arrival) for journey, arrival in zip(journeys, plan.arrivals, strict=True)),
            )
        finally:
            # The faults struck so far are reported even when one could not be struck or healed.
            REPORT.extend(
                [
                    f"faults: {len(injector.struck)} struck: {_kinds(injector)}",
                    *(
                        f"  {s.fault.describe()} (struck at {s.struck_at:.1f}s, over in {s.took:.1f}s)"
                        for s in injector.struck
                    ),
                ]
            )
            await injector.heal()
        faults_over = started + max((s.struck_at + s.took for s in injector.struck), default=0.0)
        last_finish = max((j.finished_at for j in journeys if j.finished_at is not None), default=faults_over)
        recovery = max(0.0, last_finish - faults_over)

        REPORT.extend(
            [
                f"journeys: {len(journeys)} ({_count(plan)}) arriving over {max(plan.arrivals):.0f}s, "
                f"at most {CONCURRENCY} at a time (peak {in_flight.peak} in flight), "
                f"{replicas} replica(s) a service; "
                f"{caller.retries} client retries",
                f"recovery: the last journey ended {recovery:.1f}s after the last fault was over "
                f"(bound {RECOVERY_BOUND_SECONDS:.0f}s)",
            ]
        )

        stuck = [
            f"#{j.index} {j.kind.value} {j.order_id} after {j.steps}: {j.error}" for j in journeys if j.error
        ]
        assert not stuck, f"{len(stuck)} journeys did not end ({rerun}):\n" + "\n".join(stuck[:20])

        # Money: each order holds exactly what its journey says, and the books balance.
        finance = client.token("chaos-finance", "ops:finance")
        wrong = []
        for journey in journeys:
            order = await client.call("escrow", "GET", f"/v1/orders/{journey.order_id}", token=finance)
            if (problem := _money_problem(journey, order)) is not None:
                wrong.append(f"#{journey.index} {journey.order_id}: {problem}")
        check = await client.call("escrow", "GET", "/v1/ledger/check", token=finance)
        REPORT.append(
            f"ledger check: {check['orders_checked']} orders, {check['entries_checked']} entries, "
            f"{len(check['breaches'])} breaches; {len(wrong)} orders holding other amounts than their journey"
        )
        assert not wrong, f"orders hold the wrong amounts ({rerun}):\n" + "\n".join(wrong[:20])
        assert check["breaches"] == [], f"ledger breaches ({rerun}): {check['breaches'][:10]}"

    # Events: all sent, each delivered to every subscriber, none applied twice, none parked.
    audit = await _settled_audit(chaos_stack, broker_control)
    REPORT.extend(
        [
            f"events: {audit.published} published ({len(audit.unsent)} unsent), "
            f"{audit.deliveries_expected} deliveries checked, lost {len(audit.lost)}",
            # Inbox ids are (subscription, message id), unique: a consumer cannot record one message twice;
            # an effect applied twice would show as a once-per-order event produced twice for one order.
            f"applied twice: {len(audit.repeated)} (once-per-order events repeated for one order; "
            "inbox entries are unique per subscription and message id)",
            f"parked: {sum(audit.parked.values())} {audit.parked}",
        ]
    )
    assert audit.unsent == [], f"events never published ({rerun}): {audit.unsent[:10]}"
    assert audit.lost == [], f"events lost ({rerun}): {audit.lost[:10]}"
    assert audit.repeated == [], f"events applied twice for one order ({rerun}): {audit.repeated[:10]}"
    assert set(audit.parked.values()) == {0}, f"parked messages ({rerun}): {audit.parked}"
    # Last: a slow recovery fails the run once every other figure has been reported.
    assert recovery <= RECOVERY_BOUND_SECONDS, f"recovery took {recovery:.0f}s ({rerun})"


async def _settled_audit(stack: LocalStack, broker: BrokerControl) -> EventAudit:
    """Events still in flight (timeline, reviews read models) settle shortly after the journeys end."""
    audits: list[EventAudit] = []

    async def settled() -> bool:
        audits.append(await audit_events(stack, broker, ONCE_PER_ORDER))
        return not audits[-1].unsent and not audits[-1].lost

    with contextlib.suppress(TimeoutError):
        await eventually(settled, timeout=60, interval=1.0)
    return audits[-1] if audits else await audit_events(stack, broker, ONCE_PER_ORDER)


def _money_problem(journey: PlannedJourney, order: dict[str, Any]) -> str | None:
    total = money(journey.total or 0)
    expected: dict[str, Any] = {"status": journey.kind.terminal_status, "held": money(0)}
    if journey.kind is JourneyKind.HAPPY:
        expected |= {"paid": total, "released": total, "refunded": money(0)}
    elif journey.kind is JourneyKind.CANCEL_PAID or (
        journey.kind is JourneyKind.CANCEL_WHILE_PAYING and not journey.paid_nothing
    ):
        expected |= {"paid": total, "released": money(0), "refunded": total}
    else:
        expected |= {"paid": money(0), "released": money(0), "refunded": money(0)}
    actual = {name: order[name] for name in expected}
    return None if actual == expected else f"expected {expected}, found {actual}"


class InFlight:
    """Counts the journeys under way, and the most there were at once."""

    def __init__(self) -> None:
        self.now = 0
        self.peak = 0

    async def __aenter__(self) -> None:
        self.now += 1
        self.peak = max(self.peak, self.now)

    async def __aexit__(self, *_: object) -> None:
        self.now -= 1


def _count(plan: ChaosPlan) -> str:
    return ", ".join(f"{kind.value} {plan.journeys.count(kind)}" for kind in JourneyKind)


def _kinds(injector: FaultInjector) -> str:
    counts: dict[str, int] = {}
    for struck in injector.struck:
        counts[struck.fault.kind.value] = counts.get(struck.fault.kind.value, 0) + 1
    return ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
