"""An order with what its supplier owes the guarantee fund, read in one round trip: what a release decides
from (the payout recovers the debt first). The receivable is joined by `$lookup` on its id, which the
server builds from the order's supplier and currency, where two reads cost two trips."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.adapters.journal import RECEIVABLE_ID_OF_ORDER, RECEIVABLES, Journal, owed_in
from services.escrow.adapters.orders import ORDERS, OrderNotFound, OrderRepository
from services.escrow.domain.order import Order
from shared.joins import find_joined, first_joined, joined
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
        stages = [{"$set": {_RECEIVABLE: RECEIVABLE_ID_OF_ORDER}}, joined(RECEIVABLES, _RECEIVABLE, _OWED)]
        document = await find_joined(self._orders, order_id, stages, session=session)
        if document is None:
            raise OrderNotFound(f"order {order_id} not found")
        stored = self._store.load(document)
        supplier_id, currency = stored.value.supplier_id, stored.value.currency
        if (document.get("supplier_id"), document.get("currency")) != (supplier_id, currency):
            # Its query fields are not (yet) those of the order: the receivable is read on its own.
            return stored, await self._journal.owed_by_supplier(supplier_id, currency, session=session)
        return stored, owed_in(first_joined(document, _OWED), currency)
