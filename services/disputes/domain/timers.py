"""What a claim's persisted timer does when it comes due; safe to run twice or from several replicas."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from services.disputes.domain.claim import Claim, ClaimStatus, next_timer_due
from services.disputes.domain.mediation import lapse_evidence_requests
from services.disputes.domain.negotiation import escalate_automatically, mark_supplier_silent
from shared.messaging.envelope import Event


class TimerAction(StrEnum):
    MARK_SUPPLIER_SILENT = "mark_supplier_silent"
    ESCALATE = "escalate"
    LAPSE_EVIDENCE_REQUESTS = "lapse_evidence_requests"


def due_timer_action(claim: Claim, now: datetime) -> TimerAction | None:
    """The action due at `now`, or None; once the action is applied, the same call answers None."""
    due = next_timer_due(claim)
    if due is None or now < due:
        return None
    if claim.status is ClaimStatus.UNDER_MEDIATION:
        return TimerAction.LAPSE_EVIDENCE_REQUESTS
    if claim.status is ClaimStatus.AWAITING_SUPPLIER and now < claim.auto_escalation_at:
        return TimerAction.MARK_SUPPLIER_SILENT
    return TimerAction.ESCALATE  # a timer is only due while negotiating or under mediation


def fire_due_timer(claim: Claim, now: datetime) -> tuple[Claim, list[Event]]:
    """Apply the due action, if any; firing a timer that is not due changes nothing."""
    action = due_timer_action(claim, now)
    if action is TimerAction.MARK_SUPPLIER_SILENT:
        return mark_supplier_silent(claim)
    if action is TimerAction.ESCALATE:
        # A late sweep may find the supplier never answered: record that too, then escalate.
        missed: list[Event] = []
        if claim.status is ClaimStatus.AWAITING_SUPPLIER:
            claim, missed = mark_supplier_silent(claim)
        claim, escalated = escalate_automatically(claim, now)
        return claim, [*missed, *escalated]
    if action is TimerAction.LAPSE_EVIDENCE_REQUESTS:
        return lapse_evidence_requests(claim, now)
    return claim, []
