"""The ledger proof behind GET /v1/ledger/check: re-derives every invariant from the stored books."""

from __future__ import annotations

from services.escrow.domain.reconciliation import Breach, check_ledger, summarize
from shared.unit_of_work import Transaction

from .books import Books


async def check_books(books: Books) -> tuple[list[Breach], int, int]:
    """Breaches (empty when the books are proven), entries checked, orders checked.

    Read in one snapshot transaction, so an order and the entries booked with it are seen together.
    """

    async def read(tx: Transaction) -> tuple[list[Breach], int, int]:
        entries = await books.journal.entries(session=tx.session)
        orders = [summarize(order) async for order in books.orders.all(session=tx.session)]
        return check_ledger(entries, orders), len(entries), len(orders)

    return await books.uow.run(read)
