"""Platform mediation (`ops:mediator`): take the case, read its case file, request evidence, decide once."""

from __future__ import annotations

import uuid

from aiohttp import web

from services.disputes.api.access import MEDIATOR, visible_claim
from services.disputes.api.deps import DESK
from services.disputes.api.models import (
    CaseFile,
    ChainCheck,
    ClaimView,
    DecideClaim,
    MessageView,
    RequestEvidence,
)
from services.disputes.domain import mediation
from services.disputes.domain.conversation import RecordKind
from services.disputes.handlers.claims import change_claim
from shared.http.middleware import correlation_id
from shared.http.routes import Api, principal

api = Api("mediation", requires=(DESK,))


@api.post("/v1/disputes/{claim_id}/mediation", response=ClaimView, roles={MEDIATOR})
async def take_case(request: web.Request) -> ClaimView:
    """A mediator takes an escalated claim; only that mediator decides it."""
    desk = request.app[DESK]
    who = principal(request)
    claim = await change_claim(
        desk,
        correlation_id(request),
        request.match_info["claim_id"],
        lambda claim, _: mediation.start_mediation(claim, mediator_id=who.sub, now=desk.now()),
    )
    return ClaimView.of(claim)


@api.get("/v1/disputes/{claim_id}/case-file", response=CaseFile, roles={MEDIATOR})
async def case_file(request: web.Request) -> CaseFile:
    """Contract snapshot, messages, tracking history, inspection reports and evidence in one place."""
    desk = request.app[DESK]
    claim = await visible_claim(desk, request.match_info["claim_id"], principal(request))
    order = await desk.orders.get(claim.order_id)
    assert order is not None  # a claim is only opened on a known order
    records = await desk.conversation.records(claim.order_id)
    views = [MessageView.of(stored, for_buyer=False) for stored in records]
    return CaseFile(
        claim=ClaimView.of(claim),
        other_claims=[
            ClaimView.of(s.claim) for s in await desk.claims.of_order(claim.order_id) if s.claim != claim
        ],
        contract=order.contract,
        tracking=order.tracking,
        inspections=order.inspections,
        messages=[view for view in views if view.kind is RecordKind.MESSAGE],
        evidence=[view for view in views if view.kind is RecordKind.EVIDENCE],
        chain=ChainCheck.of(await desk.conversation.verify(claim.order_id)),
    )


@api.post(
    "/v1/disputes/{claim_id}/evidence-requests", body=RequestEvidence, response=ClaimView, roles={MEDIATOR}
)
async def request_evidence(request: web.Request, body: RequestEvidence) -> ClaimView:
    """Ask the buyer or the supplier for more evidence by a deadline."""
    desk = request.app[DESK]
    who = principal(request)
    claim = await change_claim(
        desk,
        correlation_id(request),
        request.match_info["claim_id"],
        lambda claim, _: mediation.request_evidence(
            claim,
            mediator_id=who.sub,
            request_id=f"evr_{uuid.uuid4().hex[:12]}",
            party=body.party,
            description=body.description,
            now=desk.now(),
            policy=desk.policy,
            respond_within_days=body.respond_within_days,
        ),
    )
    return ClaimView.of(claim)


@api.post("/v1/disputes/{claim_id}/decision", body=DecideClaim, response=ClaimView, roles={MEDIATOR})
async def decide(request: web.Request, body: DecideClaim) -> ClaimView:
    """The mediator's decision: settled once; refunds and returns follow as a saga."""
    desk = request.app[DESK]
    who = principal(request)
    decision = body.decision()
    claim = await change_claim(
        desk,
        correlation_id(request),
        request.match_info["claim_id"],
        lambda claim, order: mediation.decide(
            claim, order, mediator_id=who.sub, decision=decision, now=desk.now()
        ),
    )
    return ClaimView.of(claim)
