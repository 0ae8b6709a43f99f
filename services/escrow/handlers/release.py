"""Release of escrow: the buyer's confirmation of receipt, or the auto-confirm timer."""

from __future__ import annotations

from datetime import datetime

import structlog

from services.escrow.domain import release
from services.escrow.domain.errors import AutoConfirmNotDueError
from services.escrow.domain.order import Order, OrderChange
from services.escrow.domain.terms import Party
from shared.mongo import Session
from shared.security.jwt import Principal
from shared.unit_of_work import Transaction

from .access import require_party
from .books import Books

log = structlog.get_logger("services.escrow")


class Release:
    def __init__(self, books: Books) -> None:
        self._books = books

    async def confirm_receipt(self, order_id: str, who: Principal) -> Order:
        """Only the order's buyer confirms; a repeat (or a release the timer already made) changes nothing."""
        books = self._books

        async def decide(order: Order, session: Session) -> OrderChange:
            require_party(order, who, Party.BUYER)
            owed = await books.journal.owed_by_supplier(order.supplier_id, order.currency, session=session)
            return release.confirm_receipt(
                order, buyer_id=who.sub, now=books.clock.now(), policy=books.policy, owed_by_supplier=owed
            )

        return await books.change(order_id, decide)

    async def auto_confirm(self, tx: Transaction, order_id: str, now: datetime) -> None:
        """Timer fire: runs in the transaction that claimed the due date, so it releases at most once."""
        books = self._books

        async def decide(order: Order, session: Session) -> OrderChange:
            owed = await books.journal.owed_by_supplier(order.supplier_id, order.currency, session=session)
            return release.auto_confirm(order, now=now, policy=books.policy, owed_by_supplier=owed)

        try:
            await books.apply(tx, order_id, decide)
        except AutoConfirmNotDueError as error:
            # The order changed after the date was set (frozen, refunded): nothing to release now.
            log.info("auto_confirm_skipped", order_id=order_id, reason=str(error))
