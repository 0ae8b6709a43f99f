"""Claims and their negotiation: open (or claim lateness in one call), read, offer, accept, escalate."""

from __future__ import annotations

import uuid

from aiohttp import web

from services.disputes.api.access import MEDIATOR, visible_claim, visible_order
from services.disputes.api.models import ClaimLateness, ClaimList, MakeOffer, OpenClaim
from services.disputes.domain import claim_opening, negotiation
from services.disputes.domain.claim import Claim
from services.disputes.handlers.claims import change_claim, open_claim
from services.disputes.handlers.desk import Desk
from shared.http.routes import Api, principal
from shared.security.roles import Role


def new_claim_id() -> str:
    return f"clm_{uuid.uuid4().hex}"


def disputes_api(desk: Desk) -> Api:
    api = Api("disputes")

    @api.post("/v1/disputes", body=OpenClaim, response=Claim, status=201, roles={Role.BUYER})
    async def open_dispute(request: web.Request, body: OpenClaim) -> Claim:
        """Open a claim on one of the buyer's orders; escrow freezes release on `claim_opened`."""
        who = principal(request)
        await visible_order(desk, body.order_id, who)
        return await open_claim(
            desk,
            body.order_id,
            lambda order, open_claims: claim_opening.open_claim(
                order,
                claim_id=new_claim_id(),
                buyer_id=who.sub,
                reason=body.reason,
                requested_outcome=body.requested_outcome,
                amount=body.amount,
                description=body.description,
                open_claims=open_claims,
                now=desk.now(),
                policy=desk.policy,
            ),
        )

    @api.post(
        "/v1/orders/{order_id}/late-claims",
        body=ClaimLateness,
        response=Claim,
        status=201,
        roles={Role.BUYER},
    )
    async def claim_lateness(request: web.Request, body: ClaimLateness) -> Claim:
        """Claim on-time-guarantee compensation for a missed deadline in one call; escrow pays it."""
        who = principal(request)
        order_id = request.match_info["order_id"]
        await visible_order(desk, order_id, who)
        return await open_claim(
            desk,
            order_id,
            lambda order, open_claims: claim_opening.open_late_claim(
                order,
                claim_id=new_claim_id(),
                buyer_id=who.sub,
                deadline=body.deadline,
                open_claims=open_claims,
                now=desk.now(),
                policy=desk.policy,
            ),
        )

    @api.get("/v1/disputes/{claim_id}", response=Claim, roles={Role.BUYER, Role.SUPPLIER, MEDIATOR})
    async def read_dispute(request: web.Request) -> Claim:
        """A claim, for the order's buyer and supplier and for mediators."""
        return await visible_claim(desk, request.match_info["claim_id"], principal(request))

    @api.get(
        "/v1/orders/{order_id}/disputes", response=ClaimList, roles={Role.BUYER, Role.SUPPLIER, MEDIATOR}
    )
    async def order_disputes(request: web.Request) -> ClaimList:
        """Every claim of an order, oldest first."""
        order = await visible_order(desk, request.match_info["order_id"], principal(request))
        return ClaimList(items=[stored.value for stored in await desk.claims.of_order(order.order_id)])

    @api.post("/v1/disputes/{claim_id}/offers", body=MakeOffer, response=Claim, roles={Role.SUPPLIER})
    async def make_offer(request: web.Request, body: MakeOffer) -> Claim:
        """The supplier proposes a full or partial refund, a replacement, or a return and refund."""
        who = principal(request)
        claim = await visible_claim(desk, request.match_info["claim_id"], who)
        return await change_claim(
            desk,
            claim.claim_id,
            lambda claim, order: negotiation.make_offer(
                claim,
                order,
                supplier_id=who.sub,
                outcome=body.outcome,
                refund=body.refund,
                note=body.note,
                now=desk.now(),
            ),
        )

    @api.post("/v1/disputes/{claim_id}/accept", response=Claim, roles={Role.BUYER, Role.SUPPLIER})
    async def accept(request: web.Request) -> Claim:
        """The supplier grants the claim as asked, or the buyer takes the supplier's offer."""
        who = principal(request)
        claim = await visible_claim(desk, request.match_info["claim_id"], who)
        if who.role == Role.SUPPLIER:
            return await change_claim(
                desk,
                claim.claim_id,
                lambda claim, order: negotiation.accept_claim(
                    claim, order, supplier_id=who.sub, now=desk.now()
                ),
            )
        return await change_claim(
            desk,
            claim.claim_id,
            lambda claim, order: negotiation.accept_offer(claim, order, buyer_id=who.sub, now=desk.now()),
        )

    @api.post("/v1/disputes/{claim_id}/reject", response=Claim, roles={Role.SUPPLIER})
    async def reject(request: web.Request) -> Claim:
        """The supplier refuses the claim; the buyer may escalate at once."""
        who = principal(request)
        claim = await visible_claim(desk, request.match_info["claim_id"], who)
        return await change_claim(
            desk,
            claim.claim_id,
            lambda claim, _: negotiation.reject_claim(claim, supplier_id=who.sub, now=desk.now()),
        )

    @api.post("/v1/disputes/{claim_id}/escalate", response=Claim, roles={Role.BUYER})
    async def escalate(request: web.Request) -> Claim:
        """The buyer asks for platform mediation (from day 4, or at once after a rejection)."""
        who = principal(request)
        claim = await visible_claim(desk, request.match_info["claim_id"], who)
        return await change_claim(
            desk,
            claim.claim_id,
            lambda claim, _: negotiation.escalate(claim, buyer_id=who.sub, now=desk.now()),
        )

    @api.post("/v1/disputes/{claim_id}/withdraw", response=Claim, roles={Role.BUYER})
    async def withdraw(request: web.Request) -> Claim:
        """The buyer drops the claim; escrow unfreezes on `claim_withdrawn`."""
        who = principal(request)
        claim = await visible_claim(desk, request.match_info["claim_id"], who)
        return await change_claim(
            desk,
            claim.claim_id,
            lambda claim, _: negotiation.withdraw_claim(claim, buyer_id=who.sub, now=desk.now()),
        )

    return api
