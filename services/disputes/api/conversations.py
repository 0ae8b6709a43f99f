"""Order conversations and dispute evidence: append-only, hash-chained per order, verifiable."""

from __future__ import annotations

from aiohttp import web

from services.disputes.api.access import READERS, visible_claim, visible_order
from services.disputes.api.deps import DESK
from services.disputes.api.models import (
    ChainCheck,
    MessageList,
    MessagePage,
    MessageView,
    PostMessage,
    SubmitEvidence,
)
from services.disputes.domain.conversation import AuthorRole, RecordKind
from services.disputes.domain.mediation import answer_evidence_request
from services.disputes.handlers.claims import change_claim_in
from services.disputes.handlers.conversation import append_record_in
from services.disputes.handlers.desk import Emit
from shared.http.middleware import correlation_id
from shared.http.routes import Api, principal
from shared.mongo import Session
from shared.security.jwt import Principal
from shared.security.roles import PARTIES, Role


def author_role(who: Principal) -> AuthorRole:
    if who.role == Role.BUYER:
        return AuthorRole.BUYER
    if who.role == Role.SUPPLIER:
        return AuthorRole.SUPPLIER
    return AuthorRole.MEDIATOR


api = Api("conversations", requires=(DESK,))


@api.post("/v1/orders/{order_id}/messages", body=PostMessage, response=MessageView, status=201, roles=READERS)
async def post_message(request: web.Request, body: PostMessage) -> MessageView:
    """Append a message to the order's conversation; off-platform pushes are flagged, the buyer warned."""
    desk = request.app[DESK]
    who = principal(request)
    order = await visible_order(desk, request.match_info["order_id"], who)

    async def work(session: Session, emit: Emit) -> MessageView:
        stored = await append_record_in(
            desk,
            session,
            emit,
            order_id=order.order_id,
            author_id=who.sub,
            role=author_role(who),
            kind=RecordKind.MESSAGE,
            body=body.body,
            attachment_hashes=body.attachment_hashes,
        )
        return MessageView.of(stored, for_buyer=who.role == Role.BUYER)

    return await desk.run(correlation_id(request), work)


@api.get("/v1/orders/{order_id}/messages", query=MessagePage, response=MessageList, roles=READERS)
async def read_messages(request: web.Request, query: MessagePage) -> MessageList:
    """The order's conversation (messages and evidence), oldest first, a page at a time."""
    desk = request.app[DESK]
    who = principal(request)
    order = await visible_order(desk, request.match_info["order_id"], who)
    # One more than the page: whether there is a next page without counting the whole conversation.
    records = await desk.conversation.records(
        order.order_id, after_seq=query.after_seq, limit=query.limit + 1
    )
    page = records[: query.limit]
    return MessageList(
        items=[MessageView.of(stored, for_buyer=who.role == Role.BUYER) for stored in page],
        next_after_seq=page[-1].record.seq if len(records) > query.limit else None,
    )


@api.get("/v1/orders/{order_id}/messages/verify", response=ChainCheck, roles=READERS)
async def verify_messages(request: web.Request) -> ChainCheck:
    """Prove the conversation was not edited: every record's hash and its link to the previous one."""
    desk = request.app[DESK]
    order = await visible_order(desk, request.match_info["order_id"], principal(request))
    return ChainCheck.of(await desk.conversation.verify(order.order_id))


@api.post(
    "/v1/disputes/{claim_id}/evidence",
    body=SubmitEvidence,
    response=MessageView,
    status=201,
    roles=PARTIES,
)
async def submit_evidence(request: web.Request, body: SubmitEvidence) -> MessageView:
    """Add evidence to the order's chain, optionally answering a mediator's evidence request."""
    desk = request.app[DESK]
    who = principal(request)
    claim = await visible_claim(desk, request.match_info["claim_id"], who)

    async def work(session: Session, emit: Emit) -> MessageView:
        stored = await append_record_in(
            desk,
            session,
            emit,
            order_id=claim.order_id,
            author_id=who.sub,
            role=author_role(who),
            kind=RecordKind.EVIDENCE,
            body=body.body,
            attachment_hashes=body.attachment_hashes,
            claim_id=claim.claim_id,
        )
        if body.request_id is not None:
            request_id, seq = body.request_id, stored.record.seq
            await change_claim_in(
                desk,
                session,
                emit,
                claim.claim_id,
                lambda claim, _: answer_evidence_request(
                    claim, request_id=request_id, party_id=who.sub, evidence_seq=seq, now=desk.now()
                ),
            )
        return MessageView.of(stored, for_buyer=False)

    return await desk.run(correlation_id(request), work)


@api.get("/v1/disputes/{claim_id}/evidence", response=MessageList, roles=READERS)
async def read_evidence(request: web.Request) -> MessageList:
    """The evidence filed for this claim, in chain order."""
    desk = request.app[DESK]
    claim = await visible_claim(desk, request.match_info["claim_id"], principal(request))
    records = await desk.conversation.records(claim.order_id)
    return MessageList(
        items=[MessageView.of(s, for_buyer=False) for s in records if s.record.claim_id == claim.claim_id]
    )
