"""The parking lot's ops API on every service: list, inspect, replay, discard (role `ops:platform`)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.clock import UtcDateTime
from shared.http.pages import Page, PageQuery
from shared.http.problems import Problem
from shared.http.routes import Api, principal
from shared.parking.lot import Audited, ParkingLot
from shared.parking.record import ParkedMessage
from shared.security.roles import Role
from shared.text import PlainText

PARKING_LOT = web.AppKey("parking_lot", ParkingLot)
OPERATORS = {Role.PLATFORM}
PARKED = "/v1/ops/parked-messages"
QueueName = Annotated[PlainText, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]

api = Api("parked-messages", requires=(PARKING_LOT,))


class ParkedMessageQuery(PageQuery):
    queue: QueueName | None = Field(
        default=None, description="The subscription queue the messages failed on; omit for every queue."
    )


class ParkedMessageView(BaseModel):
    id: str
    queue: str = Field(description="The subscription queue the message failed on, and goes back to.")
    routing_key: str = Field(description="The routing key its producer published it with.")
    message_id: str
    message_type: str
    correlation_id: str | None
    error: str = Field(description="Why it was parked: the rule's reason, or the last failure.")
    rejected: bool = Field(description="A rule refused it: replaying helps only once the cause is fixed.")
    attempts: int
    parked_at: UtcDateTime
    headers: dict[str, str]
    payload: Any = Field(description="The body parsed as JSON (the message's envelope); null when not JSON.")
    body: str | None = Field(description="The raw body when it is not JSON (invalid UTF-8 replaced).")

    @classmethod
    def of(cls, parked: ParkedMessage) -> ParkedMessageView:
        try:
            payload, body = json.loads(parked.body), None
        except ValueError:
            payload, body = None, parked.body.decode("utf-8", errors="replace")
        return cls(
            id=parked.id,
            queue=parked.queue,
            routing_key=parked.routing_key,
            message_id=parked.message_id,
            message_type=parked.message_type,
            correlation_id=parked.correlation_id,
            error=parked.error,
            rejected=parked.rejected,
            attempts=parked.attempts,
            parked_at=parked.parked_at,
            headers=parked.headers,
            payload=payload,
            body=body,
        )


class ParkedMessagePage(Page[ParkedMessageView]):
    pass


class ReplayParkedQueue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queue: QueueName = Field(description="Replay every message parked on this queue.")


class DiscardParkedMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[PlainText, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)] = (
        Field(description="Why the message may be dropped; kept in the audit with who and when.")
    )


class ParkedReplay(BaseModel):
    queue: str
    replayed: int = Field(description="How many messages went back to the queue.")


class ParkedDiscard(BaseModel):
    id: str
    queue: str
    discarded_by: str
    discarded_at: UtcDateTime
    reason: str

    @classmethod
    def of(cls, entry: Audited) -> ParkedDiscard:
        return cls(
            id=entry.parked_id,
            queue=entry.queue,
            discarded_by=entry.by,
            discarded_at=entry.at,
            reason=entry.reason or "",
        )


@api.get(PARKED, query=ParkedMessageQuery, response=ParkedMessagePage, roles=OPERATORS)
async def list_parked_messages(request: web.Request, query: ParkedMessageQuery) -> ParkedMessagePage:
    """Parked messages, oldest first, with their error and payload; filter by `queue`."""
    found = await request.app[PARKING_LOT].page(queue=query.queue, limit=query.limit, cursor=query.cursor)
    return ParkedMessagePage.of(found, ParkedMessageView.of)


@api.get(f"{PARKED}/{{parked_id}}", response=ParkedMessageView, roles=OPERATORS)
async def get_parked_message(request: web.Request) -> ParkedMessageView:
    """One parked message, headers and body included."""
    return ParkedMessageView.of(await _parked(request))


@api.post(f"{PARKED}/{{parked_id}}/replay", response=ParkedReplay, status=202, roles=OPERATORS)
async def replay_parked_message(request: web.Request) -> ParkedReplay:
    """Send the message back to its queue to be handled again; the inbox applies it at most once."""
    parked = await _parked(request)
    await request.app[PARKING_LOT].replay(parked, principal(request))
    return ParkedReplay(queue=parked.queue, replayed=1)


@api.post(f"{PARKED}/replay", body=ReplayParkedQueue, response=ParkedReplay, status=202, roles=OPERATORS)
async def replay_parked_queue(request: web.Request, body: ReplayParkedQueue) -> ParkedReplay:
    """Send every message parked on a queue back to it."""
    replayed = await request.app[PARKING_LOT].replay_queue(body.queue, principal(request))
    return ParkedReplay(queue=body.queue, replayed=replayed)


@api.post(
    f"{PARKED}/{{parked_id}}/discard", body=DiscardParkedMessage, response=ParkedDiscard, roles=OPERATORS
)
async def discard_parked_message(request: web.Request, body: DiscardParkedMessage) -> ParkedDiscard:
    """Drop a parked message for good; who, when and why are audited."""
    entry = await request.app[PARKING_LOT].discard(
        request.match_info["parked_id"], principal(request), body.reason
    )
    if entry is None:
        raise _not_parked(request.match_info["parked_id"])
    return ParkedDiscard.of(entry)


async def _parked(request: web.Request) -> ParkedMessage:
    parked_id = request.match_info["parked_id"]
    parked = await request.app[PARKING_LOT].find(parked_id)
    if parked is None:
        raise _not_parked(parked_id)
    return parked


def _not_parked(parked_id: str) -> Problem:
    # A garbled id is simply one that names no parked message.
    return Problem(404, "parked-message-not-found", "Not Found.", f"no parked message {parked_id[:100]!r}")
