"""An order with its payment intents, read in one round trip: what opening a payment decides from. The
intents are joined to the order by `$lookup` on their `order_id` index, where two reads cost two trips."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.adapters.orders import ORDERS, OrderNotFound, OrderRepository
from services.escrow.adapters.payment_intents import INTENTS, intent_of
from services.escrow.adapters.payment_provider import PaymentIntent
from services.escrow.domain.order import Order
from shared.mongo import Document


class OrderPaymentsReader:
    def __init__(self, db: AsyncDatabase[Document], orders: OrderRepository) -> None:
        self._orders = db[ORDERS]
        self._store = orders

    async def of_order(self, order_id: str) -> tuple[Order, list[PaymentIntent]]:
        """The order and its intents, oldest id first; `OrderNotFound` when there is no such order."""
        pipeline: list[Document] = [
            {"$match": {"_id": order_id}},
            {"$limit": 1},
            {"$lookup": {"from": INTENTS, "localField": "_id", "foreignField": "order_id", "as": "intents"}},
        ]
        found = await (await self._orders.aggregate(pipeline)).to_list()
        if not found:
            raise OrderNotFound(f"order {order_id} not found")
        intents = sorted(found[0]["intents"], key=lambda document: str(document["_id"]))
        return self._store.load(found[0]).value, [intent_of(document) for document in intents]
