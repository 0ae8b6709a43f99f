"""Finance's desk on the books: the proof that they balance, balances per currency, an order's entries."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel

from services.escrow.adapters.journal import ORDER_ENTRIES
from services.escrow.domain.balances import Flows
from services.escrow.domain.journal import EntryKind, JournalEntry
from services.escrow.handlers.ledger import check_books
from shared.clock import UtcDateTime
from shared.http.pages import Page, PageQuery
from shared.http.routes import Api, principal
from shared.money import Money
from shared.security.roles import PARTIES, Role

from .deps import BOOKS, JOURNAL, ORDER_COMMANDS
from .models import LedgerCheck

api = Api("ledger", requires=(BOOKS, JOURNAL, ORDER_COMMANDS))


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


class CurrencyBalances(BaseModel):
    """Minor units of `currency`: held in escrow now; released, refunded and compensated so far; fees."""

    currency: str
    held: int
    released: int
    refunded: int
    compensated: int
    fees: int


class LedgerBalances(BaseModel):
    currencies: list[CurrencyBalances]
    as_of: UtcDateTime


@api.get("/v1/ledger/balances", response=LedgerBalances, roles={Role.FINANCE})
async def ledger_balances(request: web.Request) -> LedgerBalances:
    """Held / released / refunded / compensated / fees per currency, summed from every journal entry."""
    balances: list[Flows] = await request.app[JOURNAL].balances()
    return LedgerBalances(
        currencies=[CurrencyBalances(**flows.model_dump()) for flows in balances],
        as_of=request.app[BOOKS].clock.now(),
    )


class PostingView(BaseModel):
    account: str
    amount: Money


class LedgerEntryView(BaseModel):
    entry_id: str
    kind: EntryKind
    booked_at: UtcDateTime
    postings: list[PostingView]
    memo: str

    @classmethod
    def of(cls, entry: JournalEntry) -> LedgerEntryView:
        postings = [PostingView(account=p.account, amount=p.amount) for p in entry.postings]
        return cls(
            entry_id=entry.entry_id,
            kind=entry.kind,
            booked_at=entry.booked_at,
            postings=postings,
            memo=entry.memo,
        )


class LedgerEntryPage(Page[LedgerEntryView]):
    """A page of an order's journal entries, oldest first."""


@api.get(
    "/v1/orders/{order_id}/ledger-entries",
    query=PageQuery,
    response=LedgerEntryPage,
    roles=PARTIES | {Role.FINANCE},
)
async def order_ledger_entries(request: web.Request, query: PageQuery) -> LedgerEntryPage:
    """The money movements of one order, for its buyer, its supplier and finance."""
    order_id = request.match_info["order_id"]
    await request.app[ORDER_COMMANDS].view(order_id, principal(request))  # 404 unless the caller's
    listing = ORDER_ENTRIES.listing(scope={"order_id": order_id}, limit=query.limit, cursor=query.cursor)
    return LedgerEntryPage.of(await request.app[JOURNAL].page(listing), LedgerEntryView.of)
