"""Measurable inspection criteria taken from the contract, and their evaluation against measurements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import MeasurementMissingError


class InspectionAgency(StrEnum):
    SGS = "sgs"
    BUREAU_VERITAS = "bureau_veritas"
    INTERTEK = "intertek"


class Criterion(BaseModel):
    """A named measurement with bounds, e.g. defect_rate ≤ 2.5 %, quantity ≥ 1000 pcs, length 99–101 mm."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    unit: str = Field(min_length=1, examples=["%", "pcs", "mm"])
    min_value: Decimal | None = None
    max_value: Decimal | None = None

    @model_validator(mode="after")
    def _bounded(self) -> Self:
        if self.min_value is None and self.max_value is None:
            raise ValueError(f"criterion {self.name!r} needs a minimum, a maximum or both")
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise ValueError(f"criterion {self.name!r} has minimum above maximum")
        return self

    def is_met_by(self, measured: Decimal) -> bool:
        """Bounds are inclusive: a measurement equal to the limit passes."""
        above_min = self.min_value is None or measured >= self.min_value
        below_max = self.max_value is None or measured <= self.max_value
        return above_min and below_max


class CriterionResult(BaseModel):
    """One criterion's outcome in an inspection report."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    criterion: Criterion
    measured: Decimal
    passed: bool


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
