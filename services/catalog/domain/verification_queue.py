"""The verification desk's queue: a supplier's application waits while any of its documents is pending."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from services.catalog.domain.certifications import Certification, VerificationStatus
from services.catalog.domain.supplier import Supplier


class ApplicationStatus(StrEnum):
    PENDING = "pending"  # at least one document awaits a verification officer's decision
    REVIEWED = "reviewed"  # every document recorded has been confirmed or rejected


def pending_documents(supplier: Supplier) -> tuple[Certification, ...]:
    return tuple(c for c in supplier.certifications if c.status is VerificationStatus.PENDING)


def application_status(supplier: Supplier) -> ApplicationStatus | None:
    """None while the supplier has recorded no document: there is no application to review."""
    if not supplier.certifications:
        return None
    return ApplicationStatus.PENDING if pending_documents(supplier) else ApplicationStatus.REVIEWED


def waiting_since(supplier: Supplier) -> datetime | None:
    """When the oldest pending document was recorded: the queue serves the longest-waiting first.

    A document recorded before recording times were kept counts from the supplier's registration.
    """
    pending = pending_documents(supplier)
    if not pending:
        return None
    return min(c.recorded_at or supplier.registered_at for c in pending)
