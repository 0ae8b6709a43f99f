"""The ops finance proof of the books."""

from __future__ import annotations

from aiohttp import web

from services.escrow.handlers.ledger import check_books
from shared.http.routes import Api
from shared.security.roles import Role

from .deps import BOOKS
from .models import LedgerCheck

api = Api("ledger", requires=(BOOKS,))


@api.get("/v1/ledger/check", response=LedgerCheck, roles={Role.FINANCE})
async def check_ledger(request: web.Request) -> LedgerCheck:
    """Zero-sum per currency, escrow bounds, no double release or compensation; lists every breach."""
    books = request.app[BOOKS]
    breaches, entries, orders = await check_books(books)
    return LedgerCheck(
        ok=not breaches,
        breaches=breaches,
        entries_checked=entries,
        orders_checked=orders,
        checked_at=books.clock.now(),
    )
