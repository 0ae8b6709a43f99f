"""The supplier aggregate: profile, recorded verification facts and the last computed badge set."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.catalog.domain.certifications import Certification
from services.catalog.domain.errors import NotOwnerError
from services.catalog.domain.verification import Audit, ClientCase, CredentialCheck, GoldMembership
from shared.contracts.catalog import BadgeSet
from shared.text import PlainText


class MediaLinks(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    factory_report: PlainText | None = Field(default=None, max_length=2_000)
    inspection_video: PlainText | None = Field(default=None, max_length=2_000)
    panorama_360: PlainText | None = Field(default=None, max_length=2_000)
    vr_tour: PlainText | None = Field(default=None, max_length=2_000)


class SupplierProfile(BaseModel):
    """What a supplier says about itself; editable only by that supplier."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    legal_name: str = Field(min_length=1, max_length=300)
    country: str = Field(max_length=2, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    year_established: int = Field(ge=1800, le=2100)
    main_markets: tuple[str, ...] = ()
    staff_count: int = Field(ge=0)
    factory_size_m2: int = Field(ge=0)
    media: MediaLinks = MediaLinks()


class Supplier(BaseModel):
    """A supplier; `badges` is the snapshot computed last, kept so that changes can be announced."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    profile: SupplierProfile
    registered_at: AwareDatetime
    trade_assurance_enrolled: bool = False
    certifications: tuple[Certification, ...] = ()
    audits: tuple[Audit, ...] = ()
    credential_checks: tuple[CredentialCheck, ...] = ()
    memberships: tuple[GoldMembership, ...] = ()
    client_cases: tuple[ClientCase, ...] = ()
    export_percentile: int | None = Field(default=None, ge=0, le=100)
    experience_since: AwareDatetime | None = None
    badges: BadgeSet = BadgeSet()


def register_supplier(supplier_id: str, profile: SupplierProfile, now: datetime) -> Supplier:
    return Supplier(id=supplier_id, profile=profile, registered_at=now)


def ensure_owner(owner_id: str, actor_id: str) -> None:
    """A supplier acts only on what it owns."""
    if owner_id != actor_id:
        raise NotOwnerError("this resource belongs to another supplier")


def update_profile(supplier: Supplier, profile: SupplierProfile, actor_id: str) -> Supplier:
    ensure_owner(supplier.id, actor_id)
    return supplier.model_copy(update={"profile": profile})
