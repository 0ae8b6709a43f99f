"""The journal in MongoDB: insert-only entries under their unique entry id, and supplier receivables."""

from __future__ import annotations

from collections.abc import Sequence

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from services.escrow.domain import accounts
from services.escrow.domain.accounts import AccountKind
from services.escrow.domain.balances import Flows, entry_flows
from services.escrow.domain.journal import JournalEntry
from shared import write_behind
from shared.money import Money
from shared.mongo import Document, Indexes, Session
from shared.paging import Listing, ListSpec, Ordering, Slice, read_page
from shared.store import from_document, to_document
from shared.write_behind import Inserts

JOURNAL = "journal_entries"
RECEIVABLES = "supplier_receivables"

JOURNAL_INDEXES = Indexes(
    JOURNAL,
    [
        IndexModel([("accounts", ASCENDING)], name="by_account"),
    ],
)

# The entries of one order, oldest first: its parties and finance read them (the route checks who).
ORDER_ENTRIES = ListSpec(
    "escrow.order_entries",
    JOURNAL,
    scopes=(("order_id",),),
    filters=frozenset(),
    orderings=(Ordering("booked", (("booked_at", ASCENDING),)),),
)
_FLOW_FIELDS = ("held", "released", "refunded", "compensated", "fees")


class Journal:
    """Entries are never updated or deleted (corrections are new entries); `_id` is the entry id.

    Booking an entry id twice fails on the unique `_id`: the last line of defence against double money.
    """

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._entries = db[JOURNAL]
        self._receivables = db[RECEIVABLES]

    async def book(self, entries: Sequence[JournalEntry], *, session: Session) -> None:
        if not entries:
            return
        # Held until the commit (a duplicate entry id still fails the transaction there): nothing in a
        # transaction reads entries back after booking them.
        await write_behind.write(session, Inserts(self._entries, [_document(entry) for entry in entries]))
        for entry in entries:
            await self._track_receivables(entry, session)

    async def owed_by_supplier(self, supplier_id: str, currency: str, *, session: Session) -> Money:
        """What the supplier owes the guarantee fund, recovered from its next payout."""
        document = await self._receivables.find_one(
            {"_id": receivable_id(supplier_id, currency)}, session=session
        )
        return owed_in(document, currency)

    async def entries(self, *, session: Session | None = None) -> list[JournalEntry]:
        documents = self._entries.find({}, {"entry": 1}, session=session).sort("booked_at", ASCENDING)
        return [from_document(JournalEntry, document["entry"]) async for document in documents]

    async def page(self, listing: Listing) -> Slice[JournalEntry]:
        found = await read_page(self._entries, listing, projection=listing.projected(["entry"]))
        entries = [from_document(JournalEntry, document["entry"]) for document in found.items]
        return Slice(entries, found.next_cursor)

    async def balances(self) -> list[Flows]:
        """Every currency's totals, summed by the database from the flows booked with each entry."""
        pipeline: list[Document] = [
            {"$unwind": "$flows"},
            {
                "$group": {
                    "_id": "$flows.currency",
                    **{name: {"$sum": f"$flows.{name}"} for name in _FLOW_FIELDS},
                }
            },
            {"$sort": {"_id": 1}},
        ]
        found = await self._entries.aggregate(pipeline)
        return [
            Flows(currency=row["_id"], **{name: int(row[name]) for name in _FLOW_FIELDS})
            async for row in found
        ]

    async def _track_receivables(self, entry: JournalEntry, session: Session) -> None:
        # One document per (supplier, currency): two releases recovering the same debt write the same
        # document, so their transactions conflict and the second one re-reads what is still owed.
        for posting in entry.postings:
            if accounts.account_kind(posting.account) is not AccountKind.SUPPLIER_RECEIVABLE:
                continue
            supplier_id = accounts.account_owner(posting.account) or ""
            await self._receivables.update_one(
                {"_id": receivable_id(supplier_id, posting.amount.currency)},
                {"$inc": {"owed": -posting.amount.amount}},
                upsert=True,
                session=session,
            )


def _document(entry: JournalEntry) -> Document:
    return {
        "_id": entry.entry_id,
        "order_id": entry.order_id,
        "kind": entry.kind.value,
        "booked_at": entry.booked_at,
        "accounts": sorted({posting.account for posting in entry.postings}),
        "entry": to_document(entry),
        "flows": [flows.model_dump() for flows in entry_flows(entry)],
    }


def receivable_id(supplier_id: str, currency: str) -> str:
    """The receivable document of a supplier in a currency (`RECEIVABLE_ID_OF_ORDER` builds the same)."""
    return f"{supplier_id}:{currency}"


# `receivable_id` of an order's supplier and currency, built by the server from the order document's fields.
RECEIVABLE_ID_OF_ORDER = {"$concat": ["$supplier_id", ":", "$currency"]}


def owed_in(document: Document | None, currency: str) -> Money:
    """What a receivable document says is owed (none: nothing)."""
    return Money(amount=int(document["owed"]) if document else 0, currency=currency)
