"""Claims in MongoDB: one document per claim, guarded by version; `timer_due_at` drives the DueTimer."""

from __future__ import annotations

from dataclasses import dataclass

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from services.disputes.adapters.documents import from_document, to_document
from services.disputes.domain.claim import Claim, ClaimStatus
from shared.errors import Conflict
from shared.mongo import Document, Indexes, Session

CLAIMS = "claims"
CLAIM_INDEXES = Indexes(
    CLAIMS,
    [
        IndexModel([("order_id", ASCENDING), ("opened_at", ASCENDING)], name="by_order"),
        IndexModel([("buyer_id", ASCENDING)], name="by_buyer"),
        IndexModel([("supplier_id", ASCENDING)], name="by_supplier"),
    ],
)


@dataclass(frozen=True)
class StoredClaim:
    claim: Claim
    version: int


def claim_from_document(document: Document) -> StoredClaim:
    return StoredClaim(from_document(Claim, document), int(document["version"]))


class ClaimRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._claims = db[CLAIMS]

    async def add(self, claim: Claim, *, session: Session) -> None:
        await self._claims.insert_one(
            {"_id": claim.claim_id, "version": 1, **to_document(claim)}, session=session
        )

    async def get(self, claim_id: str, *, session: Session | None = None) -> StoredClaim | None:
        document = await self._claims.find_one({"_id": claim_id}, session=session)
        return None if document is None else claim_from_document(document)

    async def save(self, claim: Claim, *, expected_version: int, session: Session) -> None:
        result = await self._claims.update_one(
            {"_id": claim.claim_id, "version": expected_version},
            {"$set": to_document(claim), "$inc": {"version": 1}},
            session=session,
        )
        if result.matched_count == 0:
            raise Conflict(f"claim {claim.claim_id} changed concurrently")

    async def of_order(self, order_id: str, *, session: Session | None = None) -> list[StoredClaim]:
        documents = (
            await self._claims.find({"order_id": order_id}, session=session).sort("opened_at").to_list()
        )
        return [claim_from_document(document) for document in documents]

    async def in_status(self, order_id: str, status: ClaimStatus, *, session: Session) -> list[StoredClaim]:
        return [
            stored
            for stored in await self.of_order(order_id, session=session)
            if stored.claim.status is status
        ]
