"""Order conversations and dispute evidence: append-only, hash-chained per order, verifiable."""

from __future__ import annotations

from aiohttp import web

from services.disputes.api.access import ORDER_LOOKUP, READERS, visible_claim, visible_order
from services.disputes.api.deps import CASEWORK, CONVERSATIONS
from services.disputes.api.models import (
    ChainCheck,
    MessageList,
    MessagePage,
    MessageView,
    PostMessage,
    SubmitEvidence,
)
from shared.http.routes import Api, principal
from shared.security.roles import PARTIES, Role

api = Api("conversations", requires=(CASEWORK, CONVERSATIONS))


@api.post(
    "/v1/orders/{order_id}/messages",
    body=PostMessage,
    response=MessageView,
    status=201,
    roles=READERS,
    raises=ORDER_LOOKUP,
)
async def post_message(request: web.Request, body: PostMessage) -> MessageView:
    """Append a message to the order's conversation; off-platform pushes are flagged, the buyer warned."""
    who = principal(request)
    order = await visible_order(request.app[CASEWORK], request.match_info["order_id"], who)
    stored = await request.app[CONVERSATIONS].post_message(
        order.order_id, who, body.body, body.attachment_hashes
    )
    return MessageView.of(stored, for_buyer=who.role == Role.BUYER)


@api.get(
    "/v1/orders/{order_id}/messages",
    query=MessagePage,
    response=MessageList,
    roles=READERS,
    raises=ORDER_LOOKUP,
)
async def read_messages(request: web.Request, query: MessagePage) -> MessageList:
    """The order's conversation (messages and evidence), oldest first, a page at a time."""
    who = principal(request)
    order = await visible_order(request.app[CASEWORK], request.match_info["order_id"], who)
    # One more than the page: whether there is a next page without counting the whole conversation.
    records = await request.app[CONVERSATIONS].records(
        order.order_id, after_seq=query.after_seq, limit=query.limit + 1
    )
    page = records[: query.limit]
    return MessageList(
        items=[MessageView.of(stored, for_buyer=who.role == Role.BUYER) for stored in page],
        next_after_seq=page[-1].record.seq if len(records) > query.limit else None,
    )


@api.get("/v1/orders/{order_id}/messages/verify", response=ChainCheck, roles=READERS, raises=ORDER_LOOKUP)
async def verify_messages(request: web.Request) -> ChainCheck:
    """Prove the conversation was not edited: every record's hash and its link to the previous one."""
    order = await visible_order(request.app[CASEWORK], request.match_info["order_id"], principal(request))
    return ChainCheck.of(await request.app[CONVERSATIONS].verify(order.order_id))


@api.post(
    "/v1/disputes/{claim_id}/evidence",
    body=SubmitEvidence,
    response=MessageView,
    status=201,
    roles=PARTIES,
)
async def submit_evidence(request: web.Request, body: SubmitEvidence) -> MessageView:
    """Add evidence to the order's chain, optionally answering a mediator's evidence request."""
    who = principal(request)
    claim = await visible_claim(request.app[CASEWORK], request.match_info["claim_id"], who)
    stored = await request.app[CONVERSATIONS].submit_evidence(
        claim, who, body.body, body.attachment_hashes, body.request_id
    )
    return MessageView.of(stored, for_buyer=False)


@api.get("/v1/disputes/{claim_id}/evidence", response=MessageList, roles=READERS)
async def read_evidence(request: web.Request) -> MessageList:
    """The evidence filed for this claim, in chain order."""
    claim = await visible_claim(request.app[CASEWORK], request.match_info["claim_id"], principal(request))
    records = await request.app[CONVERSATIONS].records(claim.order_id)
    return MessageList(
        items=[MessageView.of(s, for_buyer=False) for s in records if s.record.claim_id == claim.claim_id]
    )
