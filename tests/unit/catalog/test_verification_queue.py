"""The verification queue: an application waits from its oldest pending document's recording."""

from __future__ import annotations

from services.catalog.domain.certifications import CredentialKind, VerificationStatus
from services.catalog.domain.policy import BadgePolicy
from services.catalog.domain.verification_queue import (
    ApplicationStatus,
    application_status,
    pending_documents,
    waiting_since,
)
from services.catalog.domain.vetting import add_certification
from tests.unit.catalog.builders import DAY, NOW, certification, supplier

PENDING = VerificationStatus.PENDING


def test_a_recorded_document_is_stamped_with_the_moment_it_was_recorded() -> None:
    change = add_certification(supplier(), certification(status=PENDING), BadgePolicy(), NOW)
    assert change.supplier.certifications[0].recorded_at == NOW


def test_an_application_waits_from_its_oldest_pending_document() -> None:
    documents = (
        certification(number="C-1", status=PENDING, recorded_at=NOW - DAY),
        certification(number="C-2", status=PENDING, recorded_at=NOW - 3 * DAY),
        certification(number="C-3", recorded_at=NOW - 9 * DAY),  # verified: no longer waits
    )
    applicant = supplier(certifications=documents)
    assert application_status(applicant) is ApplicationStatus.PENDING
    assert waiting_since(applicant) == NOW - 3 * DAY
    assert [c.number for c in pending_documents(applicant)] == ["C-1", "C-2"]


def test_a_document_recorded_before_recording_times_were_kept_waits_from_registration() -> None:
    applicant = supplier(registered_at=NOW - 40 * DAY, certifications=(certification(status=PENDING),))
    assert waiting_since(applicant) == NOW - 40 * DAY


def test_an_application_is_reviewed_once_no_document_is_pending_and_absent_without_documents() -> None:
    reviewed = supplier(certifications=(certification(kind=CredentialKind.PATENT),))
    assert application_status(reviewed) is ApplicationStatus.REVIEWED
    assert waiting_since(reviewed) is None
    assert application_status(supplier()) is None
