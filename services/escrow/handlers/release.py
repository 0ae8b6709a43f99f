"""Release of escrow: the buyer's confirmation of receipt, or the auto-confirm timer."""

from __future__ import annotations

from datetime import datetime

import structlog

from services.escrow.domain import release
from services.escrow.domain.errors import AutoConfirmNotDueError
from services.escrow.domain.order import Order
from services.escrow.domain.terms import Party
from shared.security.jwt import Principal
from shared.unit_of_work import Transaction

from .access import require_party
from .books import Books
from .ports import ReleaseBasis

log = structlog.get_logger("services.escrow")


class Release:
    def __init__(self, books: Books, basis: ReleaseBasis) -> None:
        self._books = books
        self._basis = basis  # the order with its supplier's debt, which the payout recovers first

    async def confirm_receipt(self, order_id: str, who: Principal) -> Order:
        """Only the order's buyer confirms; a repeat (or a release the timer already made) changes nothing."""
        books = self._books

        async def work(tx: Transaction) -> Order:
            stored, owed = await self._basis.of_order(order_id, session=tx.session)
            require_party(stored.value, who, Party.BUYER)
            change = release.confirm_receipt(
                stored.value,
                buyer_id=who.sub,
                now=books.clock.now(),
                policy=books.policy,
                owed_by_supplier=owed,
            )
            return await books.commit(tx, change, expected_version=stored.version)

        return await books.uow.run(work)

    async def auto_confirm(self, tx: Transaction, order_id: str, now: datetime) -> None:
        """Timer fire: runs in the transaction that claimed the due date, so it releases at most once."""
        books = self._books
        stored, owed = await self._basis.of_order(order_id, session=tx.session)
        try:
            change = release.auto_confirm(stored.value, now=now, policy=books.policy, owed_by_supplier=owed)
        except AutoConfirmNotDueError as error:
            # The order changed after the date was set (frozen, refunded): nothing to release now.
            log.info("auto_confirm_skipped", order_id=order_id, reason=str(error))
            return
        await books.commit(tx, change, expected_version=stored.version)
