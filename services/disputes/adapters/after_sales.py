"""After-sales requests in MongoDB; `timer_due_at` is stored so the SLA DueTimer finds them by index."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from services.disputes.domain.after_sales import AfterSalesRequest
from shared.mongo import Document
from shared.store import VersionedStore

AFTER_SALES = "after_sales_requests"


class AfterSalesRepository(VersionedStore[AfterSalesRequest]):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        super().__init__(db, AFTER_SALES, AfterSalesRequest, id_field="request_id")

    def beside(self, value: AfterSalesRequest) -> Document:
        return {"timer_due_at": value.timer_due_at}
