"""Claims and their negotiation: open (or claim lateness in one call), read, offer, accept, escalate."""

from __future__ import annotations

from aiohttp import web

from services.disputes.api.access import MEDIATOR, visible_claim, visible_order
from services.disputes.api.models import ClaimLateness, ClaimList, MakeOffer, OpenClaim
from services.disputes.domain.claim import Claim
from services.disputes.handlers.claims import Casework
from services.disputes.handlers.negotiation import Negotiation
from shared.http.routes import Api, principal
from shared.security.roles import Role


def disputes_api(casework: Casework, negotiation: Negotiation) -> Api:
    api = Api("disputes")

    @api.post("/v1/disputes", body=OpenClaim, response=Claim, status=201, roles={Role.BUYER})
    async def open_dispute(request: web.Request, body: OpenClaim) -> Claim:
        """Open a claim on one of the buyer's orders; escrow freezes release on `claim_opened`."""
        who = principal(request)
        await visible_order(casework, body.order_id, who)
        return await negotiation.open_claim(
            body.order_id,
            who,
            reason=body.reason,
            requested_outcome=body.requested_outcome,
            amount=body.amount,
            description=body.description,
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
        await visible_order(casework, order_id, who)
        return await negotiation.claim_lateness(order_id, who, body.deadline)

    @api.get("/v1/disputes/{claim_id}", response=Claim, roles={Role.BUYER, Role.SUPPLIER, MEDIATOR})
    async def read_dispute(request: web.Request) -> Claim:
        """A claim, for the order's buyer and supplier and for mediators."""
        return await visible_claim(casework, request.match_info["claim_id"], principal(request))

    @api.get(
        "/v1/orders/{order_id}/disputes", response=ClaimList, roles={Role.BUYER, Role.SUPPLIER, MEDIATOR}
    )
    async def order_disputes(request: web.Request) -> ClaimList:
        """Every claim of an order, oldest first."""
        order = await visible_order(casework, request.match_info["order_id"], principal(request))
        return ClaimList(items=await casework.claims_of(order.order_id))

    @api.post("/v1/disputes/{claim_id}/offers", body=MakeOffer, response=Claim, roles={Role.SUPPLIER})
    async def make_offer(request: web.Request, body: MakeOffer) -> Claim:
        """The supplier proposes a full or partial refund, a replacement, or a return and refund."""
        who = principal(request)
        claim = await visible_claim(casework, request.match_info["claim_id"], who)
        return await negotiation.offer(
            claim.claim_id, who, outcome=body.outcome, refund=body.refund, note=body.note
        )

    @api.post("/v1/disputes/{claim_id}/accept", response=Claim, roles={Role.BUYER, Role.SUPPLIER})
    async def accept(request: web.Request) -> Claim:
        """The supplier grants the claim as asked, or the buyer takes the supplier's offer."""
        who = principal(request)
        claim = await visible_claim(casework, request.match_info["claim_id"], who)
        return await negotiation.accept(claim.claim_id, who)

    @api.post("/v1/disputes/{claim_id}/reject", response=Claim, roles={Role.SUPPLIER})
    async def reject(request: web.Request) -> Claim:
        """The supplier refuses the claim; the buyer may escalate at once."""
        who = principal(request)
        claim = await visible_claim(casework, request.match_info["claim_id"], who)
        return await negotiation.reject(claim.claim_id, who)

    @api.post("/v1/disputes/{claim_id}/escalate", response=Claim, roles={Role.BUYER})
    async def escalate(request: web.Request) -> Claim:
        """The buyer asks for platform mediation (from day 4, or at once after a rejection)."""
        who = principal(request)
        claim = await visible_claim(casework, request.match_info["claim_id"], who)
        return await negotiation.escalate(claim.claim_id, who)

    @api.post("/v1/disputes/{claim_id}/withdraw", response=Claim, roles={Role.BUYER})
    async def withdraw(request: web.Request) -> Claim:
        """The buyer drops the claim; escrow unfreezes on `claim_withdrawn`."""
        who = principal(request)
        claim = await visible_claim(casework, request.match_info["claim_id"], who)
        return await negotiation.withdraw(claim.claim_id, who)

    return api
