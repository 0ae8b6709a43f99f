"""What disputes' handlers need from storage: MongoDB adapters in production, in-memory fakes in tests."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from shared.contracts.disputes import OffPlatformMatch
from shared.mongo import Document, Session
from shared.store import Repository, Versioned

from ..domain.after_sales import AfterSalesRequest
from ..domain.claim import Claim, ClaimStatus
from ..domain.conversation import ConversationRecord, StoredRecord, VerifyResult
from ..domain.orders import FirstReport, OrderRecord, OrderView


class Claims(Repository[Claim], Protocol):
    """Claims by id (`Repository`: one insert per id, saves guarded by version, `Conflict` otherwise)."""

    async def of_order(self, order_id: str, *, session: Session | None = None) -> list[Versioned[Claim]]:
        """The order's claims, oldest first."""
        ...

    async def in_status(
        self, order_id: str, status: ClaimStatus, *, session: Session
    ) -> list[Versioned[Claim]]: ...


AfterSales = Repository[AfterSalesRequest]


class Orders(Protocol):
    """Disputes' read model of escrow's orders, with the contract, tracking and inspections beside it."""

    async def get(self, order_id: str, *, session: Session | None = None) -> OrderRecord | None: ...

    async def record_contract(
        self, order_id: str, part: str, payload: Document, *, session: Session
    ) -> None: ...

    async def save_view(
        self,
        view: OrderView,
        *,
        expected_version: int,
        session: Session,
        tracking: Document | None = None,
        contract: tuple[str, Document] | None = None,
    ) -> None:
        """Guarded like `Store.save`: version 0 is a view never saved (facts may have arrived before it).

        With it, in the same write: a tracking entry appended, a contract part recorded."""
        ...

    async def open_view(self, view: OrderView, contract: tuple[str, Document], *, session: Session) -> None:
        """Save `view` unless the order has one; record the contract part either way (one write)."""
        ...

    async def note_first(
        self, order_id: str, fact: FirstReport, at: datetime, *, tracking: Document, session: Session
    ) -> bool:
        """Record `fact` on the order's view unless it is there (`record_first`), and the event's tracking
        entry, in one write; False, writing nothing, when the order has no view yet."""
        ...

    async def append_tracking(self, order_id: str, entry: Document, *, session: Session) -> None: ...

    async def append_inspection(self, order_id: str, report: Document, *, session: Session) -> None: ...

    async def lock(self, order_id: str, *, session: Session) -> None:
        """Make two units of work acting on one order conflict, so that one is retried after the other."""
        ...


class Conversation(Protocol):
    """An order's hash-chained messages, append-only: a sequence number is appended once."""

    async def last(self, order_id: str, *, session: Session) -> ConversationRecord | None: ...

    async def append(
        self, record: ConversationRecord, flags: tuple[OffPlatformMatch, ...], *, session: Session
    ) -> None: ...

    async def records(
        self, order_id: str, *, after_seq: int = 0, limit: int | None = None
    ) -> list[StoredRecord]:
        """The order's records after `after_seq`, in chain order."""
        ...

    async def verify(self, order_id: str) -> VerifyResult: ...
