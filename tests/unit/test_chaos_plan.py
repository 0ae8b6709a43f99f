"""The chaos suite's own logic: a seed fixes the run, and the audit routes events as the broker does."""

from __future__ import annotations

import pytest

from tests.fault.audit import topic_matches
from tests.fault.plan import BROKER_OUTAGE_HOLD, SERVICES, ChaosPlan, FaultKind, JourneyKind


def test_one_seed_always_gives_the_same_journeys_and_fault_schedule() -> None:
    first = ChaosPlan.generate(4242, journeys=200, window_seconds=60, mean_gap_seconds=4)
    again = ChaosPlan.generate(4242, journeys=200, window_seconds=60, mean_gap_seconds=4)
    other = ChaosPlan.generate(4243, journeys=200, window_seconds=60, mean_gap_seconds=4)
    assert first == again
    assert first != other


@pytest.mark.parametrize("seed", range(20))
def test_every_seed_strikes_every_kind_of_fault_inside_the_window(seed: int) -> None:
    plan = ChaosPlan.generate(seed, journeys=50, window_seconds=30, mean_gap_seconds=10)
    # the long broker outage is the long mode's (below)
    assert {fault.kind for fault in plan.faults} == set(FaultKind) - {FaultKind.BROKER_OUTAGE}
    assert all(0 < fault.at <= 30 for fault in plan.faults)
    assert [fault.at for fault in plan.faults] == sorted(fault.at for fault in plan.faults)
    assert all(fault.target in SERVICES for fault in plan.faults if fault.kind.targeted)
    # buyers keep arriving through the window, so the faults meet journeys in flight
    assert len(plan.arrivals) == 50
    assert all(0 <= arrival <= 27 for arrival in plan.arrivals)
    assert max(plan.arrivals) > 15


def test_a_plan_without_broker_restarts_never_restarts_the_broker() -> None:
    plan = ChaosPlan.generate(7, journeys=10, window_seconds=60, mean_gap_seconds=2, broker_restarts=False)
    assert FaultKind.BROKER_RESTART not in {fault.kind for fault in plan.faults}


def test_a_plan_without_database_faults_strikes_no_database() -> None:
    # With MONGO_URL the stack runs no database server of its own to strike.
    plan = ChaosPlan.generate(7, journeys=10, window_seconds=60, mean_gap_seconds=2, database_faults=False)
    assert not {FaultKind.DB_KILL, FaultKind.DB_PAUSE} & {fault.kind for fault in plan.faults}


@pytest.mark.parametrize("seed", range(10))
def test_the_long_mode_stops_the_broker_once_for_longer_than_the_relays_back_off(seed: int) -> None:
    plan = ChaosPlan.generate(
        seed, journeys=500, window_seconds=400, mean_gap_seconds=4, broker_outage=True, min_faults=50
    )
    outages = [fault for fault in plan.faults if fault.kind is FaultKind.BROKER_OUTAGE]
    assert len(outages) == 1
    assert 30 < BROKER_OUTAGE_HOLD[0] <= outages[0].hold <= BROKER_OUTAGE_HOLD[1]
    # struck in the first half, with faults after it; the next one waits until it is over
    assert outages[0].at <= 200
    later = [fault for fault in plan.faults if fault.at > outages[0].at]
    assert later
    assert later[0].at >= outages[0].at + outages[0].hold
    assert len(plan.faults) >= 50


def test_a_short_window_still_strikes_the_faults_asked_for() -> None:
    plan = ChaosPlan.generate(3, journeys=10, window_seconds=10, mean_gap_seconds=4, min_faults=30)
    assert len(plan.faults) >= 30


def test_kills_and_pauses_strike_each_replica_of_a_service() -> None:
    plan = ChaosPlan.generate(11, journeys=10, window_seconds=600, mean_gap_seconds=2, replicas=2)
    struck = [fault for fault in plan.faults if fault.kind in (FaultKind.KILL, FaultKind.PAUSE)]
    assert {fault.replica for fault in struck} == {0, 1}
    # a database has no replicas of its own here: its faults name the service's one server
    others = [fault for fault in plan.faults if fault not in struck]
    assert {fault.replica for fault in others} == {0}


def test_most_journeys_are_happy_every_kind_runs_and_each_has_its_terminal_status() -> None:
    plan = ChaosPlan.generate(1, journeys=1000, window_seconds=10, mean_gap_seconds=5)
    assert plan.journeys.count(JourneyKind.HAPPY) > 600
    assert all(plan.journeys.count(kind) > 50 for kind in JourneyKind)
    assert JourneyKind.HAPPY.terminal_status == "completed"
    assert {kind.terminal_status for kind in JourneyKind if kind is not JourneyKind.HAPPY} == {"cancelled"}


@pytest.mark.parametrize(
    ("pattern", "key", "routed"),
    [
        ("escrow.order_funded.v1", "escrow.order_funded.v1", True),
        ("escrow.order_funded.v1", "escrow.order_funded.v2", False),
        ("#", "escrow.order_funded.v1", True),
        ("escrow.#", "escrow.order_funded.v1", True),
        ("escrow.*.v1", "escrow.order_funded.v1", True),
        ("escrow.*", "escrow.order_funded.v1", False),
        ("*.order_funded.#", "escrow.order_funded.v1", True),
        ("escrow.#.v1", "escrow.v1", True),
    ],
)
def test_the_audit_routes_events_by_amqp_topic_rules(pattern: str, key: str, routed: bool) -> None:
    assert topic_matches(pattern, key) is routed
