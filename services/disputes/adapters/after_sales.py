"""After-sales requests in MongoDB; `timer_due_at` is stored so the SLA DueTimer finds them by index."""

from __future__ import annotations

from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase

from services.disputes.adapters.documents import from_document, to_document
from services.disputes.domain.after_sales import AfterSalesRequest
from shared.errors import Conflict
from shared.mongo import Document, Session

AFTER_SALES = "after_sales_requests"


@dataclass(frozen=True)
class StoredRequest:
    request: AfterSalesRequest
    version: int


def request_from_document(document: Document) -> StoredRequest:
    return StoredRequest(from_document(AfterSalesRequest, document), int(document["version"]))


def _document(request: AfterSalesRequest) -> Document:
    return {**to_document(request), "timer_due_at": request.timer_due_at}


class AfterSalesRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._requests = db[AFTER_SALES]

    async def add(self, request: AfterSalesRequest, *, session: Session) -> None:
        await self._requests.insert_one(
            {"_id": request.request_id, "version": 1, **_document(request)}, session=session
        )

    async def get(self, request_id: str, *, session: Session | None = None) -> StoredRequest | None:
        document = await self._requests.find_one({"_id": request_id}, session=session)
        return None if document is None else request_from_document(document)

    async def save(self, request: AfterSalesRequest, *, expected_version: int, session: Session) -> None:
        result = await self._requests.update_one(
            {"_id": request.request_id, "version": expected_version},
            {"$set": _document(request), "$inc": {"version": 1}},
            session=session,
        )
        if result.matched_count == 0:
            raise Conflict(f"after-sales request {request.request_id} changed concurrently")
