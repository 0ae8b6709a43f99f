"""Recorded verification facts: third-party audits, credential checks, Gold memberships, client cases."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from shared.clock import UtcDateTime
from shared.contracts.catalog import SupplierType


class Agency(StrEnum):
    SGS = "SGS"
    INTERTEK = "Intertek"
    BUREAU_VERITAS = "Bureau Veritas"
    TUV_RHEINLAND = "TÜV Rheinland"


class AuditScope(StrEnum):
    ONLINE = "online"
    ON_SITE = "on_site"


class AuditArea(StrEnum):
    PROFILE = "profile"
    PRODUCTION_CAPACITY = "production_capacity"
    PROCESS = "process"
    MANAGEMENT_CONTROLS = "management_controls"


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _after(value: datetime, info: ValidationInfo, start_field: str) -> datetime:
    start = info.data.get(start_field)
    if start is not None and value <= start:
        raise ValueError(f"must be after {start_field}")
    return value


class Audit(_Fact):
    """An independent audit recorded by a verification officer; grounds the Verified badge until expiry."""

    agency: Agency
    scopes: frozenset[AuditScope] = Field(min_length=1)
    areas: frozenset[AuditArea] = frozenset(AuditArea)
    supplier_type: SupplierType
    report_ref: str = Field(min_length=1, max_length=200)
    audited_at: UtcDateTime
    expires_at: UtcDateTime
    advanced_manufacturing_attested: bool = False

    @field_validator("expires_at")
    @classmethod
    def _expires_after_audit(cls, value: datetime, info: ValidationInfo) -> datetime:
        return _after(value, info, "audited_at")

    def covers_online_and_on_site(self) -> bool:
        return {AuditScope.ONLINE, AuditScope.ON_SITE} <= self.scopes

    def is_valid(self, now: datetime) -> bool:
        return self.audited_at <= now < self.expires_at


class CredentialCheck(_Fact):
    """A credential check by an appointed third-party agency; a precondition of Gold membership."""

    agency: str = Field(min_length=1, max_length=200)
    reference: str = Field(min_length=1, max_length=200)
    checked_at: UtcDateTime


class GoldMembership(_Fact):
    """A paid Gold Supplier membership period, [starts_at, ends_at)."""

    starts_at: UtcDateTime
    ends_at: UtcDateTime

    @field_validator("ends_at")
    @classmethod
    def _ends_after_start(cls, value: datetime, info: ValidationInfo) -> datetime:
        return _after(value, info, "starts_at")

    def is_active(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


class ClientCase(_Fact):
    """A documented successful client case (one of the Verified Pro criteria)."""

    client: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=2_000)
    evidence_url: str = Field(min_length=1, max_length=2_000)
    documented_at: UtcDateTime
