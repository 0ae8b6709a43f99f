"""Why a buyer sends goods back; Easy Return accepts only the quality reasons configured in policy."""

from __future__ import annotations

from enum import StrEnum


class ReturnReason(StrEnum):
    QUALITY_NOT_AS_AGREED = "quality_not_as_agreed"
    DEFECTIVE = "defective"
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    CHANGED_MIND = "changed_mind"
    NO_LONGER_NEEDED = "no_longer_needed"
    # A mediator's decision requires the goods back; not an Easy Return reason.
    DISPUTE_DECISION = "dispute_decision"
