"""Verification officers' routes: every recorded fact re-evaluates the supplier's badges at once."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.catalog.adapters.suppliers import VERIFICATION_QUEUE
from services.catalog.api.access import VERIFICATION
from services.catalog.api.deps import BADGES, CLOCK, LISTS, SUPPLIERS
from services.catalog.api.list_views import ApplicationPage, ApplicationQuery, VerificationApplication
from services.catalog.api.views import SupplierView
from services.catalog.domain import vetting
from services.catalog.domain.certifications import Certification, CredentialKind, VerificationStatus
from services.catalog.domain.supplier import Supplier
from services.catalog.domain.verification import (
    Agency,
    Audit,
    AuditArea,
    AuditScope,
    ClientCase,
    CredentialCheck,
    GoldMembership,
)
from services.catalog.handlers.suppliers import Decision
from shared.contracts.catalog import SupplierType
from shared.http.mapping import to_domain
from shared.http.pages import party_scope
from shared.http.routes import Api, principal
from shared.text import PlainText

FACTS = "/v1/suppliers/{supplier_id}"


class Fact(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewAudit(Fact):
    """An independent audit: grounds the Verified badge until it expires."""

    agency: Agency
    scopes: frozenset[AuditScope] = Field(fail_fast=True, min_length=1, max_length=len(AuditScope))
    areas: frozenset[AuditArea] = Field(
        fail_fast=True, default=frozenset(AuditArea), max_length=len(AuditArea)
    )
    supplier_type: SupplierType
    report_ref: PlainText = Field(min_length=1, max_length=200)
    audited_at: AwareDatetime
    expires_at: AwareDatetime
    advanced_manufacturing_attested: bool = False


class NewCredentialCheck(Fact):
    """A credential check by an appointed third-party agency; a precondition of Gold membership."""

    agency: PlainText = Field(min_length=1, max_length=200)
    reference: PlainText = Field(min_length=1, max_length=200)
    checked_at: AwareDatetime


class NewGoldMembership(Fact):
    """A paid Gold Supplier membership period, [starts_at, ends_at)."""

    starts_at: AwareDatetime
    ends_at: AwareDatetime


class NewCertification(Fact):
    """A certificate, licence, patent, trademark or award with its validity period."""

    kind: CredentialKind
    name: PlainText = Field(min_length=1, max_length=200)
    number: PlainText = Field(min_length=1, max_length=100)
    issuer: PlainText = Field(min_length=1, max_length=200)
    valid_from: AwareDatetime
    valid_until: AwareDatetime | None = None  # None: does not expire (e.g. an award)
    status: VerificationStatus = VerificationStatus.PENDING


class NewClientCase(Fact):
    """A documented successful client case (one of the Verified Pro criteria)."""

    client: PlainText = Field(min_length=1, max_length=200)
    summary: PlainText = Field(min_length=1, max_length=2_000)
    evidence_url: PlainText = Field(min_length=1, max_length=2_000)
    documented_at: AwareDatetime


class CertificationStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: VerificationStatus


class ExportPerformance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    export_percentile: int = Field(ge=0, le=100, description="Percentile of export volume in its region.")
    experience_since: AwareDatetime = Field(description="Start of industry/export experience.")


class TradeAssuranceEnrollment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enrolled: bool


api = Api("verification", requires=(SUPPLIERS, BADGES, CLOCK, LISTS))


@api.get(
    "/v1/verification/applications", query=ApplicationQuery, response=ApplicationPage, roles=VERIFICATION
)
async def list_applications(request: web.Request, query: ApplicationQuery) -> ApplicationPage:
    """The verification desk's queue: suppliers with documents to confirm or reject, longest-waiting first."""
    scope = party_scope(principal(request), {}, desk=VERIFICATION)
    listing = VERIFICATION_QUEUE.listing(
        scope=scope,
        filters={"application_status": query.status, "pending_kinds": query.kind},
        ordering=query.sort,
        limit=query.limit,
        cursor=query.cursor,
    )
    now = request.app[CLOCK].now()
    found = await request.app[LISTS].applications(listing)
    return ApplicationPage.of(found, lambda supplier: VerificationApplication.of(supplier, now))


async def _recorded(request: web.Request, decide: Decision) -> SupplierView:
    service = request.app[SUPPLIERS]
    supplier_id = request.match_info["supplier_id"]
    await service.record(supplier_id, decide)
    return SupplierView.of(await service.details(supplier_id), request.app[CLOCK].now())


@api.post(f"{FACTS}/audits", body=NewAudit, response=SupplierView, status=201, roles=VERIFICATION)
async def record_audit(request: web.Request, body: NewAudit) -> SupplierView:
    """Record an independent audit (agency, scopes, report, expiry): may grant Verified."""
    audit, policy = to_domain(Audit, body), request.app[BADGES]
    return await _recorded(request, lambda s, now: vetting.record_audit(s, audit, policy, now))


@api.post(
    f"{FACTS}/credential-checks",
    body=NewCredentialCheck,
    response=SupplierView,
    status=201,
    roles=VERIFICATION,
)
async def record_credential_check(request: web.Request, body: NewCredentialCheck) -> SupplierView:
    """Record a third-party credential check (a precondition of Gold)."""
    check, policy = to_domain(CredentialCheck, body), request.app[BADGES]
    return await _recorded(request, lambda s, now: vetting.record_credential_check(s, check, policy, now))


@api.post(
    f"{FACTS}/gold-memberships",
    body=NewGoldMembership,
    response=SupplierView,
    status=201,
    roles=VERIFICATION,
)
async def record_gold_membership(request: web.Request, body: NewGoldMembership) -> SupplierView:
    """Record a paid Gold Supplier membership period."""
    membership, policy = to_domain(GoldMembership, body), request.app[BADGES]
    return await _recorded(request, lambda s, now: vetting.record_gold_membership(s, membership, policy, now))


@api.post(
    f"{FACTS}/certifications", body=NewCertification, response=SupplierView, status=201, roles=VERIFICATION
)
async def record_certification(request: web.Request, body: NewCertification) -> SupplierView:
    """Record a certification, licence, patent, trademark or award with its validity."""
    certification, policy = to_domain(Certification, body), request.app[BADGES]
    return await _recorded(request, lambda s, now: vetting.add_certification(s, certification, policy, now))


@api.post(f"{FACTS}/client-cases", body=NewClientCase, response=SupplierView, status=201, roles=VERIFICATION)
async def record_client_case(request: web.Request, body: NewClientCase) -> SupplierView:
    """Record a documented successful client case."""
    case, policy = to_domain(ClientCase, body), request.app[BADGES]
    return await _recorded(request, lambda s, now: vetting.add_client_case(s, case, policy, now))


@api.put(
    f"{FACTS}/certifications/{{number}}/status",
    body=CertificationStatusChange,
    response=SupplierView,
    roles=VERIFICATION,
)
async def set_certification_status(request: web.Request, body: CertificationStatusChange) -> SupplierView:
    """Confirm or reject a recorded certification."""
    number, policy = request.match_info["number"], request.app[BADGES]
    return await _recorded(
        request, lambda s, now: vetting.set_certification_status(s, number, body.status, policy, now)
    )


@api.put(f"{FACTS}/export-performance", body=ExportPerformance, response=SupplierView, roles=VERIFICATION)
async def record_export_performance(request: web.Request, body: ExportPerformance) -> SupplierView:
    """Record the export percentile and experience start (Verified Pro criteria)."""
    policy = request.app[BADGES]

    def decide(supplier: Supplier, now: datetime) -> vetting.SupplierChange:
        return vetting.record_export_performance(
            supplier, body.export_percentile, body.experience_since, policy, now
        )

    return await _recorded(request, decide)


@api.put(
    f"{FACTS}/trade-assurance",
    body=TradeAssuranceEnrollment,
    response=SupplierView,
    roles=VERIFICATION,
)
async def enroll_in_trade_assurance(request: web.Request, body: TradeAssuranceEnrollment) -> SupplierView:
    """Enrol (or withdraw) the supplier in Trade Assurance; only enrolled suppliers list TA products."""
    policy = request.app[BADGES]
    return await _recorded(
        request, lambda s, now: vetting.set_trade_assurance_enrollment(s, body.enrolled, policy, now)
    )
