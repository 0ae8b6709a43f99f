"""Measurable inspection criteria taken from the contract, and their evaluation against measurements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from shared.contracts.logistics import Criterion, CriterionResult

from .errors import MeasurementMissingError


def evaluate_criteria(
    criteria: Sequence[Criterion], measurements: Mapping[str, Decimal]
) -> tuple[CriterionResult, ...]:
    """Judge every criterion; a report that leaves one unmeasured is incomplete and refused."""
    missing = [c.name for c in criteria if c.name not in measurements]
    if missing:
        raise MeasurementMissingError(f"the report has no measurement for: {', '.join(missing)}")
    return tuple(
        CriterionResult(criterion=c, measured=measurements[c.name], passed=c.is_met_by(measurements[c.name]))
        for c in criteria
    )
