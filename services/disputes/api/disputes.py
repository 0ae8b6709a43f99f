"""Claims and their negotiation: open (or claim lateness in one call), read, offer, accept, escalate."""

from __future__ import annotations

import uuid

from aiohttp import web

from services.disputes.api.access import READERS, visible_claim, visible_order
from services.disputes.api.deps import DESK
from services.disputes.api.models import ClaimLateness, ClaimList, ClaimView, MakeOffer, OpenClaim
from services.disputes.domain import claim_opening, negotiation
from services.disputes.handlers.claims import change_claim, open_claim
from shared.http.middleware import correlation_id
from shared.http.routes import Api, principal
from shared.security.roles import PARTIES, Role


def new_claim_id() -> str:
    return f"clm_{uuid.uuid4().hex}"


api = Api("disputes", requires=(DESK,))


@api.post("/v1/disputes", body=OpenClaim, response=ClaimView, status=201, roles={Role.BUYER})
async def open_dispute(request: web.Request, body: OpenClaim) -> ClaimView:
    """Open a claim on one of the buyer's orders; escrow freezes release on `claim_opened`."""
    desk = request.app[DESK]
    who = principal(request)
    await visible_order(desk, body.order_id, who)
    claim = await open_claim(
        desk,
        correlation_id(request),
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
    return ClaimView.of(claim)


@api.post(
    "/v1/orders/{order_id}/late-claims",
    body=ClaimLateness,
    response=ClaimView,
    status=201,
    roles={Role.BUYER},
)
async def claim_lateness(request: web.Request, body: ClaimLateness) -> ClaimView:
    """Claim on-time-guarantee compensation for a missed deadline in one call; escrow pays it."""
    desk = request.app[DESK]
    who = principal(request)
    order_id = request.match_info["order_id"]
    await visible_order(desk, order_id, who)
    claim = await open_claim(
        desk,
        correlation_id(request),
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
    return ClaimView.of(claim)


@api.get("/v1/disputes/{claim_id}", response=ClaimView, roles=READERS)
async def read_dispute(request: web.Request) -> ClaimView:
    """A claim, for the order's buyer and supplier and for mediators."""
    desk = request.app[DESK]
    return ClaimView.of(await visible_claim(desk, request.match_info["claim_id"], principal(request)))


@api.get("/v1/orders/{order_id}/disputes", response=ClaimList, roles=READERS)
async def order_disputes(request: web.Request) -> ClaimList:
    """Every claim of an order, oldest first."""
    desk = request.app[DESK]
    order = await visible_order(desk, request.match_info["order_id"], principal(request))
    return ClaimList(
        items=[ClaimView.of(stored.claim) for stored in await desk.claims.of_order(order.order_id)]
    )


@api.post("/v1/disputes/{claim_id}/offers", body=MakeOffer, response=ClaimView, roles={Role.SUPPLIER})
async def make_offer(request: web.Request, body: MakeOffer) -> ClaimView:
    """The supplier proposes a full or partial refund, a replacement, or a return and refund."""
    desk = request.app[DESK]
    who = principal(request)
    claim = await visible_claim(desk, request.match_info["claim_id"], who)
    changed = await change_claim(
        desk,
        correlation_id(request),
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
    return ClaimView.of(changed)


@api.post("/v1/disputes/{claim_id}/accept", response=ClaimView, roles=PARTIES)
async def accept(request: web.Request) -> ClaimView:
    """The supplier grants the claim as asked, or the buyer takes the supplier's offer."""
    desk = request.app[DESK]
    who = principal(request)
    claim = await visible_claim(desk, request.match_info["claim_id"], who)
    if who.role == Role.SUPPLIER:
        changed = await change_claim(
            desk,
            correlation_id(request),
            claim.claim_id,
            lambda claim, order: negotiation.accept_claim(claim, order, supplier_id=who.sub, now=desk.now()),
        )
    else:
        changed = await change_claim(
            desk,
            correlation_id(request),
            claim.claim_id,
            lambda claim, order: negotiation.accept_offer(claim, order, buyer_id=who.sub, now=desk.now()),
        )
    return ClaimView.of(changed)


@api.post("/v1/disputes/{claim_id}/reject", response=ClaimView, roles={Role.SUPPLIER})
async def reject(request: web.Request) -> ClaimView:
    """The supplier refuses the claim; the buyer may escalate at once."""
    desk = request.app[DESK]
    who = principal(request)
    claim = await visible_claim(desk, request.match_info["claim_id"], who)
    changed = await change_claim(
        desk,
        correlation_id(request),
        claim.claim_id,
        lambda claim, _: negotiation.reject_claim(claim, supplier_id=who.sub, now=desk.now()),
    )
    return ClaimView.of(changed)


@api.post("/v1/disputes/{claim_id}/escalate", response=ClaimView, roles={Role.BUYER})
async def escalate(request: web.Request) -> ClaimView:
    """The buyer asks for platform mediation (from day 4, or at once after a rejection)."""
    desk = request.app[DESK]
    who = principal(request)
    claim = await visible_claim(desk, request.match_info["claim_id"], who)
    changed = await change_claim(
        desk,
        correlation_id(request),
        claim.claim_id,
        lambda claim, _: negotiation.escalate(claim, buyer_id=who.sub, now=desk.now()),
    )
    return ClaimView.of(changed)


@api.post("/v1/disputes/{claim_id}/withdraw", response=ClaimView, roles={Role.BUYER})
async def withdraw(request: web.Request) -> ClaimView:
    """The buyer drops the claim; escrow unfreezes on `claim_withdrawn`."""
    desk = request.app[DESK]
    who = principal(request)
    claim = await visible_claim(desk, request.match_info["claim_id"], who)
    changed = await change_claim(
        desk,
        correlation_id(request),
        claim.claim_id,
        lambda claim, _: negotiation.withdraw_claim(claim, buyer_id=who.sub, now=desk.now()),
    )
    return ClaimView.of(changed)
