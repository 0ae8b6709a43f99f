"""Verification officers' routes: every recorded fact re-evaluates the supplier's badges at once."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.catalog.api.access import VERIFICATION
from services.catalog.api.views import SupplierView
from services.catalog.domain import vetting
from services.catalog.domain.certifications import Certification, VerificationStatus
from services.catalog.domain.policy import BadgePolicy
from services.catalog.domain.supplier import Supplier
from services.catalog.domain.verification import Audit, ClientCase, CredentialCheck, GoldMembership
from services.catalog.handlers.suppliers import Decision, SupplierService
from shared.clock import Clock
from shared.http.routes import Api

FACTS = "/v1/suppliers/{supplier_id}"


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


def verification_api(service: SupplierService, policy: BadgePolicy, clock: Clock) -> Api:
    api = Api("verification")

    async def recorded(request: web.Request, decide: Decision) -> SupplierView:
        supplier_id = request.match_info["supplier_id"]
        await service.record(supplier_id, decide)
        return SupplierView.of(await service.details(supplier_id), clock.now())

    @api.post(f"{FACTS}/audits", body=Audit, response=SupplierView, status=201, roles=VERIFICATION)
    async def record_audit(request: web.Request, body: Audit) -> SupplierView:
        """Record an independent audit (agency, scopes, report, expiry): may grant Verified."""
        return await recorded(request, lambda s, now: vetting.record_audit(s, body, policy, now))

    @api.post(
        f"{FACTS}/credential-checks",
        body=CredentialCheck,
        response=SupplierView,
        status=201,
        roles=VERIFICATION,
    )
    async def record_credential_check(request: web.Request, body: CredentialCheck) -> SupplierView:
        """Record a third-party credential check (a precondition of Gold)."""
        return await recorded(request, lambda s, now: vetting.record_credential_check(s, body, policy, now))

    @api.post(
        f"{FACTS}/gold-memberships",
        body=GoldMembership,
        response=SupplierView,
        status=201,
        roles=VERIFICATION,
    )
    async def record_gold_membership(request: web.Request, body: GoldMembership) -> SupplierView:
        """Record a paid Gold Supplier membership period."""
        return await recorded(request, lambda s, now: vetting.record_gold_membership(s, body, policy, now))

    @api.post(
        f"{FACTS}/certifications", body=Certification, response=SupplierView, status=201, roles=VERIFICATION
    )
    async def record_certification(request: web.Request, body: Certification) -> SupplierView:
        """Record a certification, licence, patent, trademark or award with its validity."""
        return await recorded(request, lambda s, now: vetting.add_certification(s, body, policy, now))

    @api.post(f"{FACTS}/client-cases", body=ClientCase, response=SupplierView, status=201, roles=VERIFICATION)
    async def record_client_case(request: web.Request, body: ClientCase) -> SupplierView:
        """Record a documented successful client case."""
        return await recorded(request, lambda s, now: vetting.add_client_case(s, body, policy, now))

    @api.put(
        f"{FACTS}/certifications/{{number}}/status",
        body=CertificationStatusChange,
        response=SupplierView,
        roles=VERIFICATION,
    )
    async def set_certification_status(request: web.Request, body: CertificationStatusChange) -> SupplierView:
        """Confirm or reject a recorded certification."""
        number = request.match_info["number"]
        return await recorded(
            request, lambda s, now: vetting.set_certification_status(s, number, body.status, policy, now)
        )

    @api.put(f"{FACTS}/export-performance", body=ExportPerformance, response=SupplierView, roles=VERIFICATION)
    async def record_export_performance(request: web.Request, body: ExportPerformance) -> SupplierView:
        """Record the export percentile and experience start (Verified Pro criteria)."""

        def decide(supplier: Supplier, now: datetime) -> vetting.SupplierChange:
            return vetting.record_export_performance(
                supplier, body.export_percentile, body.experience_since, policy, now
            )

        return await recorded(request, decide)

    @api.put(
        f"{FACTS}/trade-assurance",
        body=TradeAssuranceEnrollment,
        response=SupplierView,
        roles=VERIFICATION,
    )
    async def enroll_in_trade_assurance(request: web.Request, body: TradeAssuranceEnrollment) -> SupplierView:
        """Enrol (or withdraw) the supplier in Trade Assurance; only enrolled suppliers list TA products."""
        return await recorded(
            request, lambda s, now: vetting.set_trade_assurance_enrollment(s, body.enrolled, policy, now)
        )

    return api
