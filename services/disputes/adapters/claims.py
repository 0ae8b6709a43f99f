"""Claims in MongoDB: one document per claim, guarded by version; `timer_due_at` drives the DueTimer."""

from __future__ import annotations

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from services.disputes.domain.claim import Claim, ClaimStatus
from shared.mongo import Document, Indexes, Session
from shared.store import Versioned, VersionedStore

CLAIMS = "claims"
CLAIM_INDEXES = Indexes(
    CLAIMS,
    [
        IndexModel([("order_id", ASCENDING), ("opened_at", ASCENDING)], name="by_order"),
        IndexModel([("buyer_id", ASCENDING)], name="by_buyer"),
        IndexModel([("supplier_id", ASCENDING)], name="by_supplier"),
    ],
)


class ClaimRepository(VersionedStore[Claim]):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        super().__init__(db, CLAIMS, Claim, id_field="claim_id")

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
