"""Orders in MongoDB: one document per order, guarded by its version; timers' due dates kept beside it."""

from __future__ import annotations

from collections.abc import AsyncIterator

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.domain.compensation import automatic_compensation_due_at
from services.escrow.domain.order import Order
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.release import auto_confirm_due_at
from shared.errors import Rejected
from shared.mongo import Document, Session
from shared.paging import ListSpec, Ordering
from shared.store import Versioned, VersionedStore

ORDERS = "orders"
AUTO_CONFIRM_DUE = "auto_confirm_due_at"
COMPENSATION_DUE = "compensation_due_at"

# Parties see their own orders, finance all; filters narrow within the scope. It declares its indexes.
ORDER_LIST = ListSpec(
    "escrow.orders",
    ORDERS,
    scopes=(("buyer_id",), ("supplier_id",), ()),
    filters=frozenset({"status", "currency", "placed_at", "buyer_id", "supplier_id"}),
    orderings=(
        Ordering("newest", (("placed_at", DESCENDING),)),
        Ordering("oldest", (("placed_at", ASCENDING),)),
    ),
)


class OrderNotFound(Rejected):
    """No such order, or not one the caller may see (both look the same from outside)."""

    code = "order_not_found"


class OrderRepository(VersionedStore[Order]):
    """The order aggregate under `order`, beside its query fields and its timers' due dates.

    The store's `version` guards saves; the order's own `version` (what clients see) is the domain's.
    """

    def __init__(self, db: AsyncDatabase[Document], policy: EscrowPolicy) -> None:
        super().__init__(db, ORDERS, Order, id_field="order_id", under="order")
        self._policy = policy

    def beside(self, value: Order) -> Document:
        # The due dates are derived on every save, so a timer never fires on a stale reason.
        return {
            "buyer_id": value.buyer_id,
            "supplier_id": value.supplier_id,
            "status": value.status.value,
            "currency": value.currency,
            "placed_at": value.placed_at,
            AUTO_CONFIRM_DUE: auto_confirm_due_at(value, self._policy),
            COMPENSATION_DUE: automatic_compensation_due_at(value),
        }

    async def get(self, order_id: str, *, session: Session | None = None) -> Versioned[Order]:
        stored = await super().get(order_id, session=session)
        if stored is None:
            raise OrderNotFound(f"order {order_id} not found")
        return stored

    async def all(self, *, session: Session | None = None) -> AsyncIterator[Order]:
        async for stored in self.find({}, session=session):
            yield stored.value
