"""A chaos run, decided up front from one seed: which journeys run and which faults strike when.

Everything random in a run comes from here, so a failing seed re-runs the same journeys against the same
fault schedule (`CHAOS_SEED=<seed> make chaos`). What the seed cannot pin is the operating system's timing:
a SIGKILL lands at the same second of the run, not at the same instruction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

SERVICES = ("catalog", "escrow", "logistics", "disputes")


class FaultKind(StrEnum):
    KILL = "kill"  # SIGKILL a replica of a service, start it again after `hold` seconds
    PAUSE = "pause"  # SIGSTOP a replica of a service for `hold` seconds, then SIGCONT
    DROP_CONNECTIONS = "drop_connections"  # the broker closes every connection of the platform's vhost
    BROKER_RESTART = "broker_restart"  # the broker app stops for `hold` seconds, then starts
    DB_KILL = "db_kill"  # SIGKILL a service's database server, start it again on the same data after `hold`
    DB_PAUSE = "db_pause"  # SIGSTOP a service's database server for `hold` seconds: a partition, as seen
    # The broker stopped for longer than the outbox relay's longest back-off (30 s), at most once a run.
    BROKER_OUTAGE = "broker_outage"

    @property
    def targeted(self) -> bool:
        """Strikes one service (a replica of it, or its database) rather than the broker."""
        return self in (FaultKind.KILL, FaultKind.PAUSE, FaultKind.DB_KILL, FaultKind.DB_PAUSE)


DATABASE_FAULTS = (FaultKind.DB_KILL, FaultKind.DB_PAUSE)
BROKER_OUTAGE_HOLD = (35.0, 40.0)


class JourneyKind(StrEnum):
    """An order journey and the terminal state it must reach whatever happens underneath."""

    HAPPY = "happy"  # pay, ship, deliver, confirm → completed, escrow released to the supplier
    CANCEL_PAID = "cancel_paid"  # pay, then cancel before dispatch → cancelled, refunded in full
    CANCEL_UNPAID = "cancel_unpaid"  # cancel before paying → cancelled, nothing moved
    # cancel while the payment goes through: whichever lands first, cancelled and refunded in full
    CANCEL_WHILE_PAYING = "cancel_while_paying"

    @property
    def terminal_status(self) -> str:
        return "completed" if self is JourneyKind.HAPPY else "cancelled"


@dataclass(frozen=True)
class Fault:
    at: float  # seconds after the journeys start
    kind: FaultKind
    target: str | None  # the service, for kills and pauses of it or of its database
    hold: float  # seconds the service, its database or the broker stays down
    replica: int = 0  # which of the service's replicas a kill or a pause strikes (its index)

    def describe(self) -> str:
        what = self.kind.value
        if self.target:
            what += f" {self.target}" + (f"#{self.replica}" if self.kind in SERVICE_FAULTS else "")
        return f"t={self.at:5.1f}s {what} for {self.hold:.1f}s"


SERVICE_FAULTS = (FaultKind.KILL, FaultKind.PAUSE)


@dataclass(frozen=True)
class ChaosPlan:
    seed: int
    journeys: tuple[JourneyKind, ...]
    # When each journey's buyer arrives (seconds after the start): spread over the fault window, so that
    # faults strike journeys at every step however fast the machine runs them.
    arrivals: tuple[float, ...]
    faults: tuple[Fault, ...]

    @classmethod
    def generate(
        cls,
        seed: int,
        *,
        journeys: int,
        window_seconds: float,
        mean_gap_seconds: float,
        broker_restarts: bool = True,
        database_faults: bool = True,
        broker_outage: bool = False,
        replicas: int = 1,
        min_faults: int = 0,
    ) -> ChaosPlan:
        """Journeys mostly happy, some cancelled; faults at random gaps through the window (and past it
        until there are `min_faults`), one at a time. `database_faults`: the stack runs its own database
        servers; `broker_outage`: once, the broker stops for longer than the relay's back-off."""
        rng = random.Random(seed)
        kinds = tuple(rng.choices(list(JourneyKind), weights=(7, 1, 1, 1))[0] for _ in range(journeys))
        arrivals = tuple(sorted(round(rng.uniform(0.0, window_seconds * 0.9), 2) for _ in range(journeys)))
        menu = [FaultKind.KILL, FaultKind.KILL, FaultKind.PAUSE, FaultKind.DROP_CONNECTIONS]
        if database_faults:
            menu += DATABASE_FAULTS
        if broker_restarts:
            menu.append(FaultKind.BROKER_RESTART)
        # The long outage strikes in the first half, so that the run goes on striking after it.
        outage_at = rng.uniform(window_seconds * 0.2, window_seconds * 0.5) if broker_outage else None

        def strike(at: float, kind: FaultKind, hold: float) -> Fault:
            target = rng.choice(SERVICES) if kind.targeted else None
            replica = rng.randrange(replicas) if kind in SERVICE_FAULTS else 0
            return Fault(at=round(at, 1), kind=kind, target=target, hold=hold, replica=replica)

        faults: list[Fault] = []
        at = rng.uniform(1.0, mean_gap_seconds)
        while at < window_seconds or len(faults) < min_faults:
            if outage_at is not None and at >= outage_at:
                faults.append(strike(at, FaultKind.BROKER_OUTAGE, round(rng.uniform(*BROKER_OUTAGE_HOLD), 1)))
                outage_at = None
            else:
                kind = rng.choice(menu)
                hold = 0.0 if kind is FaultKind.DROP_CONNECTIONS else round(rng.uniform(0.5, 4.0), 1)
                faults.append(strike(at, kind, hold))
            at += rng.expovariate(1 / mean_gap_seconds) + faults[-1].hold
        # Every run strikes each kind at least once, so a quiet seed still proves every recovery path.
        for kind in menu:
            if all(fault.kind is not kind for fault in faults):
                faults.append(strike(rng.uniform(1.0, window_seconds), kind, 2.0))
        ordered = tuple(sorted(faults, key=lambda fault: fault.at))
        return cls(seed=seed, journeys=kinds, arrivals=arrivals, faults=ordered)
