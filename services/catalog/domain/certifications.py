"""Certifications, licences and intellectual property held by a supplier, and when they count."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from shared.clock import UtcDateTime


class CredentialKind(StrEnum):
    CERTIFICATION = "certification"  # ISO 9001, CE, FCC, RoHS, …
    LICENCE = "licence"
    PATENT = "patent"
    TRADEMARK = "trademark"
    AWARD = "award"


class VerificationStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


# Kinds that satisfy the Verified Pro criterion "a recognised award, patent or certification".
RECOGNITION_KINDS = frozenset({CredentialKind.CERTIFICATION, CredentialKind.PATENT, CredentialKind.AWARD})


class Certification(BaseModel):
    """A certificate, licence, patent, trademark or award with its validity period."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: CredentialKind
    name: str = Field(min_length=1, max_length=200)
    number: str = Field(min_length=1, max_length=100)
    issuer: str = Field(min_length=1, max_length=200)
    valid_from: UtcDateTime
    valid_until: UtcDateTime | None = None  # None: does not expire (e.g. an award)
    status: VerificationStatus = VerificationStatus.PENDING
    # Stamped when the fact is recorded: a pending document's age in the verification queue counts from it.
    recorded_at: UtcDateTime | None = None

    @field_validator("valid_until")
    @classmethod
    def _ends_after_start(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("valid_from")
        if value is not None and start is not None and value <= start:
            raise ValueError("must be after valid_from")
        return value


def is_in_force(cert: Certification, now: datetime) -> bool:
    """Verified and inside its validity period; expired or unverified ones stop counting."""
    if cert.status is not VerificationStatus.VERIFIED or now < cert.valid_from:
        return False
    return cert.valid_until is None or now < cert.valid_until


def in_force(certs: list[Certification], now: datetime) -> list[Certification]:
    return [cert for cert in certs if is_in_force(cert, now)]


def has_recognition(certs: list[Certification], now: datetime) -> bool:
    """At least one award, patent or certification currently in force."""
    return any(cert.kind in RECOGNITION_KINDS for cert in in_force(certs, now))
