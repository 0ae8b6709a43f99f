"""Platform mediation (`ops:mediator`): take the case, read its case file, request evidence, decide once."""

from __future__ import annotations

import uuid

from aiohttp import web

from services.disputes.api.access import MEDIATOR, visible_claim
from services.disputes.api.models import CaseFile, MessageView, RequestEvidence
from services.disputes.domain import mediation
from services.disputes.domain.claim import Claim
from services.disputes.domain.conversation import RecordKind
from services.disputes.domain.mediation import MediationDecision
from services.disputes.handlers.claims import change_claim
from services.disputes.handlers.desk import Desk
from shared.http.routes import Api, principal


def mediation_api(desk: Desk) -> Api:
    api = Api("mediation")

    @api.post("/v1/disputes/{claim_id}/mediation", response=Claim, roles={MEDIATOR})
    async def take_case(request: web.Request) -> Claim:
        """A mediator takes an escalated claim; only that mediator decides it."""
        who = principal(request)
        return await change_claim(
            desk,
            request.match_info["claim_id"],
            lambda claim, _: mediation.start_mediation(claim, mediator_id=who.sub, now=desk.now()),
        )

    @api.get("/v1/disputes/{claim_id}/case-file", response=CaseFile, roles={MEDIATOR})
    async def case_file(request: web.Request) -> CaseFile:
        """Contract snapshot, messages, tracking history, inspection reports and evidence in one place."""
        claim = await visible_claim(desk, request.match_info["claim_id"], principal(request))
        order = await desk.orders.get(claim.order_id)
        assert order is not None  # a claim is only opened on a known order
        records = await desk.conversation.records(claim.order_id)
        views = [MessageView.of(stored, for_buyer=False) for stored in records]
        return CaseFile(
            claim=claim,
            other_claims=[s.value for s in await desk.claims.of_order(claim.order_id) if s.value != claim],
            contract=order.contract,
            tracking=order.tracking,
            inspections=order.inspections,
            messages=[view for view in views if view.kind is RecordKind.MESSAGE],
            evidence=[view for view in views if view.kind is RecordKind.EVIDENCE],
            chain=await desk.conversation.verify(claim.order_id),
        )

    @api.post(
        "/v1/disputes/{claim_id}/evidence-requests", body=RequestEvidence, response=Claim, roles={MEDIATOR}
    )
    async def request_evidence(request: web.Request, body: RequestEvidence) -> Claim:
        """Ask the buyer or the supplier for more evidence by a deadline."""
        who = principal(request)
        return await change_claim(
            desk,
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

    @api.post("/v1/disputes/{claim_id}/decision", body=MediationDecision, response=Claim, roles={MEDIATOR})
    async def decide(request: web.Request, body: MediationDecision) -> Claim:
        """The mediator's decision: settled once; refunds and returns follow as a saga."""
        who = principal(request)
        return await change_claim(
            desk,
            request.match_info["claim_id"],
            lambda claim, order: mediation.decide(
                claim, order, mediator_id=who.sub, decision=body, now=desk.now()
            ),
        )

    return api
