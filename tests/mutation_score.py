"""The mutation score of each service's domain, read from `mutmut results --all true` (`make mutation`).

Usage: `mutmut results --all true | python -m tests.mutation_score [SERVICE]`; see docs/mutation.md.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

SERVICES = ("catalog", "escrow", "logistics", "disputes")
# A mutant that makes the tests hang was caught by them as surely as one that makes them fail.
CAUGHT = frozenset({"killed", "timeout"})
NOT_CHECKED = "not checked"


@dataclass
class ServiceScore:
    """How many of one service's domain mutants the fast tests caught, and which they let through."""

    service: str
    statuses: Counter[str] = field(default_factory=Counter)
    escaped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def caught(self) -> int:
        return sum(self.statuses[status] for status in CAUGHT)

    @property
    def percent(self) -> float:
        return 100.0 * self.caught / self.total if self.total else 0.0

    def record(self, mutant: str, status: str) -> None:
        self.statuses[status] += 1
        if status not in CAUGHT and status != NOT_CHECKED:
            self.escaped.append((mutant, status))


def service_of(mutant: str) -> str | None:
    """`services.logistics.domain.sla.x_check_sla__mutmut_4` belongs to logistics."""
    parts = mutant.split(".")
    if len(parts) > 3 and parts[0] == "services" and parts[2] == "domain":
        return parts[1]
    return None


def scores(results: Iterable[str], services: Iterable[str] = SERVICES) -> list[ServiceScore]:
    """One score per service asked for, from lines `    <mutant>: <status>`."""
    by_service = {name: ServiceScore(name) for name in services}
    for line in results:
        mutant, sep, status = line.strip().rpartition(": ")
        score = by_service.get(service_of(mutant) or "") if sep else None
        if score is not None:
            score.record(mutant, status)
    return list(by_service.values())


def report(score: ServiceScore) -> str:
    lines = [f"{score.service}: {score.caught}/{score.total} killed ({score.percent:.1f}%)"]
    if unchecked := score.statuses[NOT_CHECKED]:
        lines.append(f"  {unchecked} not checked: the run was cut short (MUTATION_SECONDS)")
    lines.extend(f"  {status}: {mutant}" for mutant, status in sorted(score.escaped))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    asked = argv[1:] or list(SERVICES)
    unknown = sorted(set(asked) - set(SERVICES))
    if unknown:
        print(f"unknown service(s): {', '.join(unknown)}; one of {', '.join(SERVICES)}", file=sys.stderr)
        return 2
    print("\n".join(report(score) for score in scores(sys.stdin, asked)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
