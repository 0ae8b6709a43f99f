"""Gold, Verified and Verified Pro are computed from recorded facts and the current moment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from services.catalog.domain.badges import ProCriterion, add_years, assess_verified_pro, compute_badges
from services.catalog.domain.certifications import CredentialKind, VerificationStatus
from services.catalog.domain.policy import BadgePolicy
from services.catalog.domain.verification import AuditScope
from shared.contracts.catalog import SupplierType
from tests.unit.catalog.builders import (
    DAY,
    NOW,
    audit,
    certification,
    client_case,
    credential_check,
    membership,
    supplier,
    verified_pro_supplier,
)

POLICY = BadgePolicy()


def test_gold_requires_an_active_membership_and_a_recorded_credential_check() -> None:
    # given a supplier with an active membership but no credential check
    unchecked = supplier(memberships=(membership(),))
    # when / then
    assert not compute_badges(unchecked, POLICY, NOW).badges.gold
    checked = unchecked.model_copy(update={"credential_checks": (credential_check(),)})
    assert compute_badges(checked, POLICY, NOW).badges.gold


def test_gold_lapses_when_the_membership_ends() -> None:
    # given a Gold supplier whose membership ends in 10 days
    gold = supplier(
        credential_checks=(credential_check(),), memberships=(membership(ends_at=NOW + 10 * DAY),)
    )
    # when the end is reached, then the badge is gone
    assert compute_badges(gold, POLICY, NOW + 10 * DAY - DAY).badges.gold
    assert not compute_badges(gold, POLICY, NOW + 10 * DAY).badges.gold


def test_verified_requires_online_and_on_site_scope() -> None:
    # given an audit covering only the online checks
    online_only = supplier(audits=(audit(scopes=frozenset({AuditScope.ONLINE})),))
    # then the supplier is not Verified
    assert not compute_badges(online_only, POLICY, NOW).badges.verified
    assert compute_badges(supplier(audits=(audit(),)), POLICY, NOW).badges.verified


def test_verified_carries_the_supplier_type_of_the_latest_valid_audit() -> None:
    # given two valid audits, the later one naming the supplier a brand holder
    older = audit(audited_at=NOW - 100 * DAY, supplier_type=SupplierType.MULTISPECIALTY_SUPPLIER)
    newer = audit(audited_at=NOW - 10 * DAY, supplier_type=SupplierType.BRAND_HOLDER)
    # when the badges are computed
    badges = compute_badges(supplier(audits=(newer, older)), POLICY, NOW).badges
    # then the type comes from the latest audit
    assert badges.supplier_type is SupplierType.BRAND_HOLDER


def test_verified_lapses_when_the_audit_expires() -> None:
    # given a Verified supplier whose audit expires in 5 days
    verified = supplier(audits=(audit(expires_at=NOW + 5 * DAY),))
    # when the expiry is reached, then the badge and its type are gone
    badges = compute_badges(verified, POLICY, NOW + 5 * DAY).badges
    assert not badges.verified
    assert badges.supplier_type is None


def test_verified_pro_when_every_criterion_is_met() -> None:
    # given a supplier meeting all criteria
    report = compute_badges(verified_pro_supplier(), POLICY, NOW)
    # then Verified Pro is held and nothing is missing
    assert report.badges.verified_pro
    assert report.verified_pro.missing == ()
    assert set(report.verified_pro.met) == set(ProCriterion)


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"audits": ()}, {ProCriterion.VERIFIED_SUPPLIER, ProCriterion.ADVANCED_MANUFACTURING}),
        ({"export_percentile": 79}, {ProCriterion.EXPORT_PERCENTILE}),
        ({"export_percentile": None}, {ProCriterion.EXPORT_PERCENTILE}),
        ({"experience_since": NOW - 4 * 365 * DAY}, {ProCriterion.EXPERIENCE_YEARS}),
        ({"certifications": ()}, {ProCriterion.RECOGNITION}),
        ({"client_cases": ()}, {ProCriterion.CLIENT_CASE}),
        ({"audits": (audit(advanced_manufacturing_attested=False),)}, {ProCriterion.ADVANCED_MANUFACTURING}),
    ],
    ids=[
        "not_verified",
        "percentile_79",
        "no_percentile",
        "4_years",
        "no_recognition",
        "no_case",
        "no_adv_mfg",
    ],
)
def test_verified_pro_names_each_missing_criterion(
    overrides: dict[str, object], missing: set[ProCriterion]
) -> None:
    # given a Verified Pro supplier with one fact taken away
    assessment = assess_verified_pro(verified_pro_supplier(**overrides), POLICY, NOW)
    # then it is not eligible and exactly that criterion is reported missing
    assert not assessment.eligible
    assert set(assessment.missing) == missing
    assert set(assessment.met) == set(ProCriterion) - missing


def test_export_percentile_of_exactly_80_qualifies() -> None:
    assessment = assess_verified_pro(verified_pro_supplier(export_percentile=80), POLICY, NOW)
    assert ProCriterion.EXPORT_PERCENTILE in assessment.met


def test_experience_counts_from_the_fifth_anniversary() -> None:
    # given experience starting exactly five years before the evaluation moment
    since = NOW.replace(year=NOW.year - 5)
    pro = verified_pro_supplier(experience_since=since)
    # then the criterion is met at the anniversary and not a moment before
    assert ProCriterion.EXPERIENCE_YEARS in assess_verified_pro(pro, POLICY, NOW).met
    assert ProCriterion.EXPERIENCE_YEARS in assess_verified_pro(pro, POLICY, NOW - DAY).missing


def test_an_expired_certification_stops_counting_for_verified_pro() -> None:
    # given the only certification expired yesterday
    expired = certification(valid_from=NOW - 400 * DAY, valid_until=NOW - DAY)
    assessment = assess_verified_pro(verified_pro_supplier(certifications=(expired,)), POLICY, NOW)
    # then recognition is missing
    assert ProCriterion.RECOGNITION in assessment.missing


def test_an_unverified_certification_does_not_count() -> None:
    pending = certification(status=VerificationStatus.PENDING)
    assessment = assess_verified_pro(verified_pro_supplier(certifications=(pending,)), POLICY, NOW)
    assert ProCriterion.RECOGNITION in assessment.missing


def test_a_trademark_is_not_a_recognition_but_an_award_is() -> None:
    trademark = certification(kind=CredentialKind.TRADEMARK, valid_until=None)
    award = certification(kind=CredentialKind.AWARD, valid_until=None)
    assert (
        ProCriterion.RECOGNITION
        in assess_verified_pro(verified_pro_supplier(certifications=(trademark,)), POLICY, NOW).missing
    )
    assert (
        ProCriterion.RECOGNITION
        in assess_verified_pro(verified_pro_supplier(certifications=(award,)), POLICY, NOW).met
    )


def test_verified_pro_thresholds_come_from_policy() -> None:
    # given a stricter policy asking for the top 10%
    strict = BadgePolicy(verified_pro_min_export_percentile=90)
    # then an 85th percentile exporter no longer qualifies
    assert ProCriterion.EXPORT_PERCENTILE in assess_verified_pro(verified_pro_supplier(), strict, NOW).missing


def test_next_change_is_the_earliest_future_boundary_of_any_fact() -> None:
    # given an audit expiring in 300 days, a membership ending in 40 and a certificate expiring in 90
    facts = verified_pro_supplier(
        audits=(audit(expires_at=NOW + 300 * DAY),),
        certifications=(certification(valid_until=NOW + 90 * DAY),),
        credential_checks=(credential_check(),),
        memberships=(membership(ends_at=NOW + 40 * DAY),),
    )
    # then the timer is due when the membership ends
    assert compute_badges(facts, POLICY, NOW).next_change_at == NOW + 40 * DAY


def test_next_change_includes_a_future_membership_start() -> None:
    upcoming = supplier(
        credential_checks=(credential_check(),), memberships=(membership(starts_at=NOW + 7 * DAY),)
    )
    report = compute_badges(upcoming, POLICY, NOW)
    assert not report.badges.gold
    assert report.next_change_at == NOW + 7 * DAY


def test_no_timer_when_no_fact_changes_in_the_future() -> None:
    assert compute_badges(supplier(), POLICY, NOW).next_change_at is None


def test_facts_count_from_their_own_instant() -> None:
    # given an audit, a membership, a credential check, a certification and a client case, all dated NOW
    at_now = verified_pro_supplier(
        audits=(audit(audited_at=NOW),),
        certifications=(certification(valid_from=NOW),),
        client_cases=(client_case(documented_at=NOW),),
        credential_checks=(credential_check(checked_at=NOW),),
        memberships=(membership(starts_at=NOW),),
    )
    # then at NOW each already counts
    badges = compute_badges(at_now, POLICY, NOW).badges
    assert (badges.verified, badges.gold, badges.verified_pro) == (True, True, True)


def test_the_next_change_is_strictly_after_now() -> None:
    # given an audit done at this very instant: re-evaluating at its start must not schedule itself again
    just_audited = supplier(audits=(audit(audited_at=NOW, expires_at=NOW + 5 * DAY),))
    assert compute_badges(just_audited, POLICY, NOW).next_change_at == NOW + 5 * DAY


def test_the_next_change_may_be_the_experience_anniversary() -> None:
    # given an audit valid for a year and five years of experience reached in ten days
    nearly = supplier(audits=(audit(),), experience_since=add_years(NOW, -5) + 10 * DAY)
    assert compute_badges(nearly, POLICY, NOW).next_change_at == NOW + 10 * DAY


@pytest.mark.parametrize(
    ("moment", "later"),
    [
        (datetime(2024, 2, 29, 9, 30, tzinfo=UTC), datetime(2029, 2, 28, 9, 30, tzinfo=UTC)),
        (datetime(2024, 2, 29, 9, 30, tzinfo=UTC), datetime(2028, 2, 29, 9, 30, tzinfo=UTC)),
        (datetime(2023, 3, 1, 9, 30, tzinfo=UTC), datetime(2028, 3, 1, 9, 30, tzinfo=UTC)),
    ],
)
def test_an_anniversary_of_29_february_falls_on_28_february_in_common_years(
    moment: datetime, later: datetime
) -> None:
    assert add_years(moment, later.year - moment.year) == later


PERIODS: list[Callable[[datetime, datetime], object]] = [
    lambda start, end: audit(audited_at=start, expires_at=end),
    lambda start, end: membership(starts_at=start, ends_at=end),
]


@pytest.mark.parametrize("period", PERIODS)
def test_a_period_must_end_after_it_starts(period: Callable[[datetime, datetime], object]) -> None:
    period(NOW, NOW + timedelta(microseconds=1))
    with pytest.raises(ValidationError):
        period(NOW, NOW)
