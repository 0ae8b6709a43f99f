"""The ops finance proof of the books."""

from __future__ import annotations

from aiohttp import web

from services.escrow.handlers.books import Books
from services.escrow.handlers.ledger import check_books
from shared.http.routes import Api
from shared.security.roles import Role

from .models import LedgerCheck


def ledger_api(books: Books) -> Api:
    api = Api("ledger")

    @api.get("/v1/ledger/check", response=LedgerCheck, roles={Role.FINANCE})
    async def check_ledger(request: web.Request) -> LedgerCheck:
        """Zero-sum per currency, escrow bounds, no double release or compensation; lists every breach."""
        breaches, entries, orders = await check_books(books)
        return LedgerCheck(
            ok=not breaches,
            breaches=breaches,
            entries_checked=entries,
            orders_checked=orders,
            checked_at=books.clock.now(),
        )

    return api
