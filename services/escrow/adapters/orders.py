"""Orders in MongoDB: one document per order, guarded by its version; timers' due dates kept beside it."""

from __future__ import annotations

from collections.abc import AsyncIterator

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.domain.compensation import automatic_compensation_due_at
from services.escrow.domain.order import Order
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.release import auto_confirm_due_at
from shared.errors import Conflict, Rejected
from shared.mongo import Document, Indexes, Session

ORDERS = "orders"
AUTO_CONFIRM_DUE = "auto_confirm_due_at"
COMPENSATION_DUE = "compensation_due_at"

ORDER_INDEXES = Indexes(
    ORDERS,
    [
        IndexModel([("buyer_id", ASCENDING), ("placed_at", ASCENDING)], name="by_buyer"),
        IndexModel([("supplier_id", ASCENDING), ("placed_at", ASCENDING)], name="by_supplier"),
    ],
)


class OrderNotFound(Rejected):
    """No such order, or not one the caller may see (both look the same from outside)."""

    code = "order_not_found"


class OrderRepository:
    """The order aggregate as `{_id, version, <query fields>, <due dates>, order: <the model as JSON>}`."""

    def __init__(self, db: AsyncDatabase[Document], policy: EscrowPolicy) -> None:
        self._orders = db[ORDERS]
        self._policy = policy

    async def get(self, order_id: str, *, session: Session | None = None) -> Order:
        document = await self._orders.find_one({"_id": order_id}, session=session)
        if document is None:
            raise OrderNotFound(f"order {order_id} not found")
        return from_document(document)

    async def add(self, order: Order, *, session: Session) -> None:
        await self._orders.insert_one(self._document(order), session=session)

    async def save(self, order: Order, *, expected_version: int, session: Session) -> None:
        """Guarded update: replaces the order only if nobody saved a newer version meanwhile."""
        result = await self._orders.replace_one(
            {"_id": order.order_id, "version": expected_version}, self._document(order), session=session
        )
        if result.matched_count != 1:
            raise Conflict(f"order {order.order_id} changed since version {expected_version}")

    async def all(self, *, session: Session | None = None) -> AsyncIterator[Order]:
        async for document in self._orders.find({}, {"order": 1}, session=session):
            yield from_document(document)

    def _document(self, order: Order) -> Document:
        # The due dates are derived on every save, so a timer never fires on a stale reason.
        return {
            "_id": order.order_id,
            "version": order.version,
            "buyer_id": order.buyer_id,
            "supplier_id": order.supplier_id,
            "status": order.status.value,
            "placed_at": order.placed_at,
            AUTO_CONFIRM_DUE: auto_confirm_due_at(order, self._policy),
            COMPENSATION_DUE: automatic_compensation_due_at(order, self._policy),
            "order": order.model_dump(mode="json"),
        }


def from_document(document: Document) -> Order:
    return Order.model_validate(document["order"])
