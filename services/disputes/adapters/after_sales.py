"""After-sales requests in MongoDB; `timer_due_at` is stored so the SLA DueTimer finds them by index."""

from __future__ import annotations

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from services.disputes.domain.after_sales import AfterSalesRequest
from shared.mongo import Document
from shared.paging import ListSpec, Ordering
from shared.store import VersionedStore

AFTER_SALES = "after_sales_requests"
SLA_DUE = (("due_at", ASCENDING),)

# Parties see their own requests, mediators all; `buyer_id`/`supplier_id` filter by the counterparty.
AFTER_SALES_LIST = ListSpec(
    name="after_sales_requests",
    collection=AFTER_SALES,
    scopes=(("buyer_id",), ("supplier_id",), ()),
    filters=frozenset({"status", "buyer_id", "supplier_id"}),
    orderings=(Ordering("sla_due", SLA_DUE),),
)


class AfterSalesRepository(VersionedStore[AfterSalesRequest]):
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        super().__init__(db, AFTER_SALES, AfterSalesRequest, id_field="request_id")

    def beside(self, value: AfterSalesRequest) -> Document:
        return {"timer_due_at": value.timer_due_at}
