"""An order with its payment intents, read in one round trip: what opening a payment decides from. The
intents are joined to the order by `$lookup` on their `order_id` index, where two reads cost two trips."""

from __future__ import annotations

from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.adapters.orders import ORDERS, OrderNotFound, OrderRepository
from services.escrow.adapters.payment_intents import INTENTS, intent_of
from services.escrow.adapters.payment_provider import PaymentIntent
from services.escrow.domain.order import Order
from shared.joins import find_joined, joined
from shared.mongo import Document

_INTENTS = "intents"


class OrderPaymentsReader:
    def __init__(self, db: AsyncDatabase[Document], orders: OrderRepository) -> None:
        self._orders = db[ORDERS]
        self._store = orders

    async def of_order(self, order_id: str) -> tuple[Order, list[PaymentIntent]]:
        """The order and its intents, oldest id first; `OrderNotFound` when there is no such order."""
        stages = [joined(INTENTS, "_id", _INTENTS, foreign_field="order_id")]
        document = await find_joined(self._orders, order_id, stages)
        if document is None:
            raise OrderNotFound(f"order {order_id} not found")
        intents = sorted(document[_INTENTS], key=lambda intent: str(intent["_id"]))
        return self._store.load(document).value, [intent_of(intent) for intent in intents]
