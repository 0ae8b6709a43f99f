"""Recording verification facts about a supplier; every change re-evaluates its badges."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from services.catalog.domain.badges import BadgeReport, compute_badges
from services.catalog.domain.certifications import Certification, VerificationStatus
from services.catalog.domain.errors import InvalidFieldError
from services.catalog.domain.policy import BadgePolicy
from services.catalog.domain.supplier import Supplier
from services.catalog.domain.verification import Audit, ClientCase, CredentialCheck, GoldMembership
from shared.contracts.catalog import SupplierBadgesChanged


class SupplierChange(BaseModel):
    """The supplier after a change, its badge report and the events the change caused."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    supplier: Supplier
    report: BadgeReport
    events: tuple[SupplierBadgesChanged, ...]


def record_audit(supplier: Supplier, audit: Audit, policy: BadgePolicy, now: datetime) -> SupplierChange:
    """Only `ops:verification` reaches this (checked at the API); the audit may ground Verified."""
    return _reevaluated(
        supplier.model_copy(update={"audits": (*supplier.audits, audit)}), policy, now, "audit"
    )


def record_credential_check(
    supplier: Supplier, check: CredentialCheck, policy: BadgePolicy, now: datetime
) -> SupplierChange:
    updated = supplier.model_copy(update={"credential_checks": (*supplier.credential_checks, check)})
    return _reevaluated(updated, policy, now, "credential_check")


def record_gold_membership(
    supplier: Supplier, membership: GoldMembership, policy: BadgePolicy, now: datetime
) -> SupplierChange:
    updated = supplier.model_copy(update={"memberships": (*supplier.memberships, membership)})
    return _reevaluated(updated, policy, now, "gold_membership")


def add_certification(
    supplier: Supplier, cert: Certification, policy: BadgePolicy, now: datetime
) -> SupplierChange:
    recorded = cert.model_copy(update={"recorded_at": now})
    updated = supplier.model_copy(update={"certifications": (*supplier.certifications, recorded)})
    return _reevaluated(updated, policy, now, "certification")


def set_certification_status(
    supplier: Supplier, number: str, status: VerificationStatus, policy: BadgePolicy, now: datetime
) -> SupplierChange:
    """Verification officers confirm or reject a certification, identified by its number."""
    if not any(cert.number == number for cert in supplier.certifications):
        raise InvalidFieldError("number", f"no certification numbered {number!r}")
    certs = tuple(
        cert.model_copy(update={"status": status}) if cert.number == number else cert
        for cert in supplier.certifications
    )
    return _reevaluated(supplier.model_copy(update={"certifications": certs}), policy, now, "certification")


def add_client_case(
    supplier: Supplier, case: ClientCase, policy: BadgePolicy, now: datetime
) -> SupplierChange:
    updated = supplier.model_copy(update={"client_cases": (*supplier.client_cases, case)})
    return _reevaluated(updated, policy, now, "client_case")


def record_export_performance(
    supplier: Supplier,
    export_percentile: int,
    experience_since: datetime,
    policy: BadgePolicy,
    now: datetime,
) -> SupplierChange:
    if not 0 <= export_percentile <= 100:
        raise InvalidFieldError("export_percentile", "must be between 0 and 100")
    if experience_since > now:
        raise InvalidFieldError("experience_since", "must not be in the future")
    updated = supplier.model_copy(
        update={"export_percentile": export_percentile, "experience_since": experience_since}
    )
    return _reevaluated(updated, policy, now, "export_performance")


def set_trade_assurance_enrollment(
    supplier: Supplier, enrolled: bool, policy: BadgePolicy, now: datetime
) -> SupplierChange:
    updated = supplier.model_copy(update={"trade_assurance_enrolled": enrolled})
    return _reevaluated(updated, policy, now, "trade_assurance_enrollment")


def refresh_badges(supplier: Supplier, policy: BadgePolicy, now: datetime) -> SupplierChange:
    """Run when the badge timer (`report.next_change_at`) falls due: lapses and gains happen by themselves."""
    return _reevaluated(supplier, policy, now, "timer")


def _reevaluated(supplier: Supplier, policy: BadgePolicy, now: datetime, reason: str) -> SupplierChange:
    report = compute_badges(supplier, policy, now)
    if report.badges == supplier.badges:
        return SupplierChange(supplier=supplier, report=report, events=())
    event = SupplierBadgesChanged(
        supplier_id=supplier.id,
        badges=report.badges,
        previous=supplier.badges,
        verified_pro_missing=tuple(report.verified_pro.missing),
        reason=reason,
        changed_at=now,
        next_change_at=report.next_change_at,
    )
    updated = supplier.model_copy(update={"badges": report.badges})
    return SupplierChange(supplier=updated, report=report, events=(event,))
