"""Platform mediation (`ops:mediator`): take the case, read its case file, request evidence, decide once."""

from __future__ import annotations

from aiohttp import web

from services.disputes.adapters.claims import MEDIATION_QUEUE
from services.disputes.api.access import MEDIATOR, visible_claim
from services.disputes.api.deps import CASEWORK, CLAIM_PAGES, MEDIATION
from services.disputes.api.list_models import MediationQueuePage, MediationQueueQuery, QueuedClaim
from services.disputes.api.models import (
    CaseFile,
    ChainCheck,
    ClaimStaffView,
    DecideClaim,
    MessageView,
    RequestEvidence,
)
from services.disputes.domain.claim import ClaimStage
from services.disputes.domain.conversation import RecordKind
from shared.http.routes import Api, principal

api = Api("mediation", requires=(CASEWORK, MEDIATION, CLAIM_PAGES))


@api.get("/v1/mediation/queue", query=MediationQueueQuery, response=MediationQueuePage, roles={MEDIATOR})
async def mediation_queue(request: web.Request, query: MediationQueueQuery) -> MediationQueuePage:
    """Claims in mediation, escalated longest ago first, with their age, amount and reason."""
    listing = MEDIATION_QUEUE.listing(
        scope={"stage": ClaimStage.MEDIATION.value},
        filters=query.filters(),
        ordering=query.sort,
        limit=query.limit,
        cursor=query.cursor,
    )
    now = request.app[CASEWORK].now()
    found = await request.app[CLAIM_PAGES].page(listing)
    return MediationQueuePage.of(found, lambda claim: QueuedClaim.of(claim, now))


@api.post("/v1/disputes/{claim_id}/mediation", response=ClaimStaffView, roles={MEDIATOR})
async def take_case(request: web.Request) -> ClaimStaffView:
    """A mediator takes an escalated claim; only that mediator decides it."""
    claim = await request.app[MEDIATION].take_case(request.match_info["claim_id"], principal(request))
    return ClaimStaffView.of(claim)


@api.get("/v1/disputes/{claim_id}/case-file", response=CaseFile, roles={MEDIATOR})
async def case_file(request: web.Request) -> CaseFile:
    """Contract snapshot, messages, tracking history, inspection reports and evidence in one place."""
    claim = await visible_claim(request.app[CASEWORK], request.match_info["claim_id"], principal(request))
    case = await request.app[MEDIATION].case_file(claim)
    views = [MessageView.of(stored, for_buyer=False) for stored in case.records]
    return CaseFile(
        claim=ClaimStaffView.of(claim),
        other_claims=[ClaimStaffView.of(other) for other in case.other_claims],
        contract=case.order.contract,
        tracking=case.order.tracking,
        inspections=case.order.inspections,
        messages=[view for view in views if view.kind is RecordKind.MESSAGE],
        evidence=[view for view in views if view.kind is RecordKind.EVIDENCE],
        chain=ChainCheck.of(case.chain),
    )


@api.post(
    "/v1/disputes/{claim_id}/evidence-requests",
    body=RequestEvidence,
    response=ClaimStaffView,
    roles={MEDIATOR},
)
async def request_evidence(request: web.Request, body: RequestEvidence) -> ClaimStaffView:
    """Ask the buyer or the supplier for more evidence by a deadline."""
    claim = await request.app[MEDIATION].request_evidence(
        request.match_info["claim_id"],
        principal(request),
        party=body.party,
        description=body.description,
        respond_within_days=body.respond_within_days,
    )
    return ClaimStaffView.of(claim)


@api.post("/v1/disputes/{claim_id}/decision", body=DecideClaim, response=ClaimStaffView, roles={MEDIATOR})
async def decide(request: web.Request, body: DecideClaim) -> ClaimStaffView:
    """The mediator's decision: settled once; refunds and returns follow as a saga."""
    claim = await request.app[MEDIATION].decide(
        request.match_info["claim_id"], principal(request), body.decision()
    )
    return ClaimStaffView.of(claim)
