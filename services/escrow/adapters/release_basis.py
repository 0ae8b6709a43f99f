"""An order with what its supplier owes the guarantee fund, read in one round trip: what a release decides
from (the payout recovers the debt first). The receivable is joined by `$lookup` on its id, which the
server builds from the order's supplier and currency, where two reads cost two trips."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.adapters.journal import RECEIVABLE_ID_OF_ORDER, RECEIVABLES, Journal, owed_in
from services.escrow.adapters.orders import ORDERS, OrderNotFound, OrderRepository
from services.escrow.domain.order import Order
from shared.money import Money
from shared.mongo import Document, Session
from shared.store import Versioned

_RECEIVABLE = "receivable_id"
_OWED = "receivable"


class ReleaseBasisReader:
    def __init__(self, db: AsyncDatabase[Document], orders: OrderRepository, journal: Journal) -> None:
        self._orders = db[ORDERS]
        self._store = orders
        self._journal = journal

    async def of_order(self, order_id: str, *, session: Session) -> tuple[Versioned[Order], Money]:
        """The order as stored and what its supplier owes in its currency; `OrderNotFound` without one."""
        pipeline: list[Document] = [
            {"$match": {"_id": order_id}},
            {"$limit": 1},
            {"$set": {_RECEIVABLE: RECEIVABLE_ID_OF_ORDER}},
            {"$lookup": {"from": RECEIVABLES, "localField": _RECEIVABLE, "foreignField": "_id", "as": _OWED}},
        ]
        found = await (await self._orders.aggregate(pipeline, session=session)).to_list()
        if not found:
            raise OrderNotFound(f"order {order_id} not found")
        stored = self._store.load(found[0])
        order = stored.value
        if found[0].get("supplier_id") != order.supplier_id or found[0].get("currency") != order.currency:
            # Its query fields are not (yet) those of the order: the receivable is read on its own.
            return stored, await self._journal.owed_by_supplier(
                order.supplier_id, order.currency, session=session
            )
        receivable = found[0][_OWED]
        return stored, owed_in(receivable[0] if receivable else None, order.currency)
