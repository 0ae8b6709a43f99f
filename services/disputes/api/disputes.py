"""Claims and their negotiation: open, read, offer, accept, escalate (compensation is escrow's own route)."""

from __future__ import annotations

from aiohttp import web

from services.disputes.adapters.claims import CLAIM_LIST
from services.disputes.api.access import (
    CLAIMS,
    MEDIATOR,
    ORDER_LOOKUP,
    PARTY_FIELDS,
    READERS,
    visible_claim,
    visible_order,
)
from services.disputes.api.deps import CASEWORK, CLAIM_PAGES, NEGOTIATION
from services.disputes.api.list_models import ClaimListQuery, ClaimPage, ClaimSort, ClaimStaffPage
from services.disputes.api.models import (
    ClaimList,
    ClaimStaffList,
    ClaimStaffView,
    ClaimView,
    MakeOffer,
    OpenClaim,
    claim_view,
)
from shared.http.pages import party_scope
from shared.http.routes import Api, PerAudience, principal
from shared.security.roles import PARTIES, Role

api = Api("disputes", requires=(CASEWORK, NEGOTIATION, CLAIM_PAGES))


@api.post(
    "/v1/disputes", body=OpenClaim, response=ClaimView, status=201, roles={Role.BUYER}, raises=ORDER_LOOKUP
)
async def open_dispute(request: web.Request, body: OpenClaim) -> ClaimView:
    """Open a claim on one of the buyer's orders; escrow freezes release on `claim_opened`."""
    who = principal(request)
    await visible_order(request.app[CASEWORK], body.order_id, who)
    claim = await request.app[NEGOTIATION].open_claim(
        body.order_id,
        who,
        reason=body.reason,
        requested_outcome=body.requested_outcome,
        amount=body.amount,
        description=body.description,
    )
    return ClaimView.of(claim)


@api.get("/v1/disputes", query=ClaimListQuery, response=PerAudience(ClaimStaffPage, ClaimPage), roles=READERS)
async def list_disputes(request: web.Request, query: ClaimListQuery) -> ClaimStaffPage | ClaimPage:
    """The caller's claims (every claim for mediators), each with its next action."""
    who = principal(request)
    # A party works through what is due first; a mediator browsing all claims sees the latest first.
    default = ClaimSort.NEWEST if who.role == MEDIATOR else ClaimSort.DEADLINE
    listing = CLAIM_LIST.listing(
        scope=party_scope(who, PARTY_FIELDS, desk={MEDIATOR}),
        filters=query.filters(),
        ordering=(query.sort or default).value,
        limit=query.limit,
        cursor=query.cursor,
    )
    found = await request.app[CLAIM_PAGES].page(listing)
    return (
        ClaimStaffPage.of(found, ClaimStaffView.of)
        if who.role in CLAIMS.ops
        else ClaimPage.of(found, ClaimView.of)
    )


@api.get("/v1/disputes/{claim_id}", response=PerAudience(ClaimStaffView, ClaimView), roles=READERS)
async def read_dispute(request: web.Request) -> ClaimView:
    """A claim, for the order's buyer and supplier and for mediators (with staff ids)."""
    who = principal(request)
    return claim_view(await visible_claim(request.app[CASEWORK], request.match_info["claim_id"], who), who)


@api.get(
    "/v1/orders/{order_id}/disputes",
    response=PerAudience(ClaimStaffList, ClaimList),
    roles=READERS,
    raises=ORDER_LOOKUP,
)
async def order_disputes(request: web.Request) -> ClaimStaffList | ClaimList:
    """Every claim of an order, oldest first."""
    casework, who = request.app[CASEWORK], principal(request)
    order = await visible_order(casework, request.match_info["order_id"], who)
    claims = await casework.claims_of(order.order_id)
    if who.role in CLAIMS.ops:
        return ClaimStaffList(items=[ClaimStaffView.of(claim) for claim in claims])
    return ClaimList(items=[ClaimView.of(claim) for claim in claims])


@api.post("/v1/disputes/{claim_id}/offers", body=MakeOffer, response=ClaimView, roles={Role.SUPPLIER})
async def make_offer(request: web.Request, body: MakeOffer) -> ClaimView:
    """The supplier proposes a full or partial refund, a replacement, or a return and refund."""
    who = principal(request)
    claim = await visible_claim(request.app[CASEWORK], request.match_info["claim_id"], who)
    offered = await request.app[NEGOTIATION].offer(
        claim.claim_id, who, outcome=body.outcome, refund=body.refund, note=body.note
    )
    return ClaimView.of(offered)


@api.post("/v1/disputes/{claim_id}/accept", response=ClaimView, roles=PARTIES)
async def accept(request: web.Request) -> ClaimView:
    """The supplier grants the claim as asked, or the buyer takes the supplier's offer."""
    who = principal(request)
    claim = await visible_claim(request.app[CASEWORK], request.match_info["claim_id"], who)
    return ClaimView.of(await request.app[NEGOTIATION].accept(claim.claim_id, who))


@api.post("/v1/disputes/{claim_id}/reject", response=ClaimView, roles={Role.SUPPLIER})
async def reject(request: web.Request) -> ClaimView:
    """The supplier refuses the claim; the buyer may escalate at once."""
    who = principal(request)
    claim = await visible_claim(request.app[CASEWORK], request.match_info["claim_id"], who)
    return ClaimView.of(await request.app[NEGOTIATION].reject(claim.claim_id, who))


@api.post("/v1/disputes/{claim_id}/escalate", response=ClaimView, roles={Role.BUYER})
async def escalate(request: web.Request) -> ClaimView:
    """The buyer asks for platform mediation (from day 4, or at once after a rejection)."""
    who = principal(request)
    claim = await visible_claim(request.app[CASEWORK], request.match_info["claim_id"], who)
    return ClaimView.of(await request.app[NEGOTIATION].escalate(claim.claim_id, who))


@api.post("/v1/disputes/{claim_id}/withdraw", response=ClaimView, roles={Role.BUYER})
async def withdraw(request: web.Request) -> ClaimView:
    """The buyer drops the claim; escrow unfreezes on `claim_withdrawn`."""
    who = principal(request)
    claim = await visible_claim(request.app[CASEWORK], request.match_info["claim_id"], who)
    return ClaimView.of(await request.app[NEGOTIATION].withdraw(claim.claim_id, who))
