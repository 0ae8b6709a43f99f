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
    KILL = "kill"  # SIGKILL a service, start it again after `hold` seconds
    PAUSE = "pause"  # SIGSTOP a service for `hold` seconds, then SIGCONT
    DROP_CONNECTIONS = "drop_connections"  # the broker closes every connection of the platform's vhost
    BROKER_RESTART = "broker_restart"  # the broker app stops for `hold` seconds, then starts


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
    target: str | None  # the service, for kills and pauses
    hold: float  # seconds the service or broker stays down

    def describe(self) -> str:
        what = f"{self.kind.value} {self.target}" if self.target else self.kind.value
        return f"t={self.at:5.1f}s {what} for {self.hold:.1f}s"


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
    ) -> ChaosPlan:
        """Journeys mostly happy, some cancelled; faults at random gaps through the window, one at a time."""
        rng = random.Random(seed)
        kinds = tuple(rng.choices(list(JourneyKind), weights=(7, 1, 1, 1))[0] for _ in range(journeys))
        arrivals = tuple(sorted(round(rng.uniform(0.0, window_seconds * 0.9), 2) for _ in range(journeys)))
        menu = [FaultKind.KILL, FaultKind.KILL, FaultKind.PAUSE, FaultKind.DROP_CONNECTIONS]
        if broker_restarts:
            menu.append(FaultKind.BROKER_RESTART)
        faults: list[Fault] = []
        at = rng.uniform(1.0, mean_gap_seconds)
        while at < window_seconds:
            kind = rng.choice(menu)
            target = rng.choice(SERVICES) if kind in (FaultKind.KILL, FaultKind.PAUSE) else None
            hold = 0.0 if kind is FaultKind.DROP_CONNECTIONS else round(rng.uniform(0.5, 4.0), 1)
            faults.append(Fault(at=round(at, 1), kind=kind, target=target, hold=hold))
            at += rng.expovariate(1 / mean_gap_seconds) + hold
        # Every run strikes each kind at least once, so a quiet seed still proves every recovery path.
        for kind in menu:
            if all(fault.kind is not kind for fault in faults):
                target = rng.choice(SERVICES) if kind in (FaultKind.KILL, FaultKind.PAUSE) else None
                at = round(rng.uniform(1.0, window_seconds), 1)
                faults.append(Fault(at=at, kind=kind, target=target, hold=2.0))
        ordered = tuple(sorted(faults, key=lambda fault: fault.at))
        return cls(seed=seed, journeys=kinds, arrivals=arrivals, faults=ordered)
