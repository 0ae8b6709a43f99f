"""Platform mediation (`ops:mediator`): take the case, read its case file, request evidence, decide once."""

from __future__ import annotations

from aiohttp import web

from services.disputes.api.access import MEDIATOR, visible_claim
from services.disputes.api.models import CaseFile, MessageView, RequestEvidence
from services.disputes.domain.claim import Claim
from services.disputes.domain.conversation import RecordKind
from services.disputes.domain.mediation import MediationDecision
from services.disputes.handlers.claims import Casework
from services.disputes.handlers.mediation import Mediation
from shared.http.routes import Api, principal


def mediation_api(casework: Casework, mediation: Mediation) -> Api:
    api = Api("mediation")

    @api.post("/v1/disputes/{claim_id}/mediation", response=Claim, roles={MEDIATOR})
    async def take_case(request: web.Request) -> Claim:
        """A mediator takes an escalated claim; only that mediator decides it."""
        return await mediation.take_case(request.match_info["claim_id"], principal(request))

    @api.get("/v1/disputes/{claim_id}/case-file", response=CaseFile, roles={MEDIATOR})
    async def case_file(request: web.Request) -> CaseFile:
        """Contract snapshot, messages, tracking history, inspection reports and evidence in one place."""
        claim = await visible_claim(casework, request.match_info["claim_id"], principal(request))
        case = await mediation.case_file(claim)
        views = [MessageView.of(stored, for_buyer=False) for stored in case.records]
        return CaseFile(
            claim=claim,
            other_claims=case.other_claims,
            contract=case.order.contract,
            tracking=case.order.tracking,
            inspections=case.order.inspections,
            messages=[view for view in views if view.kind is RecordKind.MESSAGE],
            evidence=[view for view in views if view.kind is RecordKind.EVIDENCE],
            chain=case.chain,
        )

    @api.post(
        "/v1/disputes/{claim_id}/evidence-requests", body=RequestEvidence, response=Claim, roles={MEDIATOR}
    )
    async def request_evidence(request: web.Request, body: RequestEvidence) -> Claim:
        """Ask the buyer or the supplier for more evidence by a deadline."""
        return await mediation.request_evidence(
            request.match_info["claim_id"],
            principal(request),
            party=body.party,
            description=body.description,
            respond_within_days=body.respond_within_days,
        )

    @api.post("/v1/disputes/{claim_id}/decision", body=MediationDecision, response=Claim, roles={MEDIATOR})
    async def decide(request: web.Request, body: MediationDecision) -> Claim:
        """The mediator's decision: settled once; refunds and returns follow as a saga."""
        return await mediation.decide(request.match_info["claim_id"], principal(request), body)

    return api
