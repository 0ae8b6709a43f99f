"""Claims in MongoDB: one document per claim, guarded by version; `timer_due_at` drives the DueTimer.

Beside each claim its list fields: `stage`, and the "to do" order (`deadline_rank`, `next_due_at`) of its
next action, so that the lists sort by the date they show. The lists declare their own indexes.
"""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from services.disputes.domain.claim import Claim, ClaimStatus
from services.disputes.domain.next_action import claim_next_action, deadline_rank
from shared.mongo import Document, Indexes, Session
from shared.paging import ListSpec, Ordering
from shared.store import Versioned, VersionedStore

CLAIMS = "claims"
BY_DEADLINE = (("deadline_rank", ASCENDING), ("next_due_at", ASCENDING))
NEWEST = (("opened_at", DESCENDING),)
OLDEST_ESCALATION = (("escalated_at", ASCENDING),)

# Parties see their own claims, mediators all; `buyer_id`/`supplier_id` filter by the counterparty.
CLAIM_LIST = ListSpec(
    name="disputes",
    collection=CLAIMS,
    scopes=(("buyer_id",), ("supplier_id",), ()),
    filters=frozenset({"status", "stage", "reason", "buyer_id", "supplier_id"}),
    orderings=(Ordering("deadline", BY_DEADLINE), Ordering("newest", NEWEST)),
)
# The mediators' desk: claims in the mediation stage, escalated longest ago first.
MEDIATION_QUEUE = ListSpec(
    name="mediation_queue",
    collection=CLAIMS,
    scopes=(("stage",),),
    filters=frozenset({"status", "reason"}),
    orderings=(Ordering("oldest", OLDEST_ESCALATION),),
)


CLAIM_INDEXES = Indexes(
    CLAIMS, [IndexModel([("order_id", ASCENDING), ("opened_at", ASCENDING)], name="by_order")]
)


class ClaimRepository(VersionedStore[Claim]):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        super().__init__(db, CLAIMS, Claim, id_field="claim_id")

    def beside(self, value: Claim) -> Document:
        action = claim_next_action(value)
        return {
            "stage": value.stage.value,
            "deadline_rank": deadline_rank(value),
            "next_due_at": None if action is None else action.due_at,
        }

    async def of_order(self, order_id: str, *, session: Session | None = None) -> list[Versioned[Claim]]:
        found = self.find({"order_id": order_id}, session=session, sort=[("opened_at", ASCENDING)])
        return [stored async for stored in found]

    async def in_status(
        self, order_id: str, status: ClaimStatus, *, session: Session
    ) -> list[Versioned[Claim]]:
        return [
            stored
            for stored in await self.of_order(order_id, session=session)
            if stored.value.status is status
        ]
