"""Trust badges computed from a supplier's recorded facts and the current moment, never set by hand."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict

from services.catalog.domain.certifications import has_recognition
from services.catalog.domain.policy import BadgePolicy
from services.catalog.domain.supplier import Supplier
from services.catalog.domain.verification import Audit
from shared.contracts.catalog import BadgeSet


class ProCriterion(StrEnum):
    VERIFIED_SUPPLIER = "verified_supplier"
    EXPORT_PERCENTILE = "export_percentile"
    EXPERIENCE_YEARS = "experience_years"
    RECOGNITION = "award_patent_or_certification"
    CLIENT_CASE = "documented_client_case"
    ADVANCED_MANUFACTURING = "advanced_manufacturing"


class VerifiedProAssessment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    met: tuple[ProCriterion, ...]
    missing: tuple[ProCriterion, ...]

    @property
    def eligible(self) -> bool:
        return not self.missing


class BadgeReport(BaseModel):
    """Badges held now, why Verified Pro is (not) held, and when the answer can next change."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    badges: BadgeSet
    verified_pro: VerifiedProAssessment
    next_change_at: AwareDatetime | None


def current_audit(supplier: Supplier, now: datetime) -> Audit | None:
    """The latest valid audit covering both online and on-site checks, if any."""
    qualifying = [a for a in supplier.audits if a.is_valid(now) and a.covers_online_and_on_site()]
    return max(qualifying, key=lambda audit: audit.audited_at, default=None)


def is_gold(supplier: Supplier, now: datetime) -> bool:
    checked = any(check.checked_at <= now for check in supplier.credential_checks)
    return checked and any(m.is_active(now) for m in supplier.memberships)


def experience_threshold(supplier: Supplier, policy: BadgePolicy) -> datetime | None:
    """The anniversary from which the supplier has the required years of experience."""
    if supplier.experience_since is None:
        return None
    return add_years(supplier.experience_since, policy.verified_pro_min_experience_years)


def assess_verified_pro(supplier: Supplier, policy: BadgePolicy, now: datetime) -> VerifiedProAssessment:
    audit = current_audit(supplier, now)
    threshold = experience_threshold(supplier, policy)
    percentile = supplier.export_percentile
    checks = {
        ProCriterion.VERIFIED_SUPPLIER: audit is not None,
        ProCriterion.EXPORT_PERCENTILE: percentile is not None
        and percentile >= policy.verified_pro_min_export_percentile,
        ProCriterion.EXPERIENCE_YEARS: threshold is not None and now >= threshold,
        ProCriterion.RECOGNITION: has_recognition(list(supplier.certifications), now),
        ProCriterion.CLIENT_CASE: any(case.documented_at <= now for case in supplier.client_cases),
        ProCriterion.ADVANCED_MANUFACTURING: audit is not None and audit.advanced_manufacturing_attested,
    }
    return VerifiedProAssessment(
        met=tuple(c for c, ok in checks.items() if ok),
        missing=tuple(c for c, ok in checks.items() if not ok),
    )


def compute_badges(supplier: Supplier, policy: BadgePolicy, now: datetime) -> BadgeReport:
    audit = current_audit(supplier, now)
    pro = assess_verified_pro(supplier, policy, now)
    badges = BadgeSet(
        gold=is_gold(supplier, now),
        verified=audit is not None,
        supplier_type=audit.supplier_type if audit else None,
        verified_pro=pro.eligible,
    )
    return BadgeReport(badges=badges, verified_pro=pro, next_change_at=next_change_at(supplier, policy, now))


def next_change_at(supplier: Supplier, policy: BadgePolicy, now: datetime) -> datetime | None:
    """The earliest future boundary of any recorded fact: the moment to re-evaluate the badges.

    Covers lapses (audit, membership, certification expiry) and gains (a period that starts, the
    experience threshold), so one timer keeps the badges true without polling.
    """
    moments: list[datetime | None] = [experience_threshold(supplier, policy)]
    moments += [m for a in supplier.audits for m in (a.audited_at, a.expires_at)]
    moments += [m for g in supplier.memberships for m in (g.starts_at, g.ends_at)]
    moments += [m for c in supplier.certifications for m in (c.valid_from, c.valid_until)]
    moments += [c.checked_at for c in supplier.credential_checks]
    moments += [c.documented_at for c in supplier.client_cases]
    return min((m for m in moments if m is not None and m > now), default=None)


def add_years(moment: datetime, years: int) -> datetime:
    """Same calendar moment `years` later; 29 February falls on 28 February in common years."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)
