"""Disputes' stores in memory, with the guarantees the MongoDB adapters give the handlers, and the service
bootstrapped over them with a clock the test moves."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from services.disputes.bootstrap import Disputes, bootstrap
from services.disputes.domain.after_sales import AfterSalesRequest
from services.disputes.domain.claim import Claim, ClaimStatus
from services.disputes.domain.conversation import ConversationRecord, StoredRecord, VerifyResult, verify_chain
from services.disputes.domain.off_platform_patterns import DEFAULT_RULES
from services.disputes.domain.orders import FirstReport, OrderRecord, OrderView, record_first
from services.disputes.domain.policy import DisputesPolicy
from shared.clock import ManualClock
from shared.contracts.disputes import OffPlatformMatch
from shared.errors import Conflict
from shared.messaging.envelope import Event
from shared.mongo import Document, Session
from shared.store import Versioned
from shared.unit_of_work import TimerHandler

from .store import InMemoryStore
from .unit_of_work import FakeUnitOfWork

E = TypeVar("E", bound=Event)


class InMemoryClaims(InMemoryStore[Claim]):
    def __init__(self) -> None:
        super().__init__("claim_id")

    async def of_order(self, order_id: str, *, session: Session | None = None) -> list[Versioned[Claim]]:
        # Sorted by opening time, ties in insertion order, as MongoDB's `by_order` index serves them.
        mine = self.where(lambda claim: claim.order_id == order_id)
        return sorted(mine, key=lambda stored: stored.value.opened_at)

    async def in_status(
        self, order_id: str, status: ClaimStatus, *, session: Session
    ) -> list[Versioned[Claim]]:
        return [stored for stored in await self.of_order(order_id) if stored.value.status is status]


class InMemoryAfterSales(InMemoryStore[AfterSalesRequest]):
    def __init__(self) -> None:
        super().__init__("request_id")


class InMemoryDisputeOrders:
    """The order read model: facts may arrive before the view (version 0 until escrow's view is saved)."""

    def __init__(self) -> None:
        self._records: dict[str, OrderRecord] = {}

    async def get(self, order_id: str, *, session: Session | None = None) -> OrderRecord | None:
        return self._records.get(order_id)

    async def record_contract(self, order_id: str, part: str, payload: Document, *, session: Session) -> None:
        record = self._record(order_id)
        self._replace(record, contract={**record.contract, part: payload})

    async def save_view(
        self,
        view: OrderView,
        *,
        expected_version: int,
        session: Session,
        tracking: Document | None = None,
        contract: tuple[str, Document] | None = None,
    ) -> None:
        record = self._record(view.order_id)
        if record.version != expected_version:
            raise Conflict(f"orders {view.order_id} changed since version {expected_version}")
        self._replace(record, view=view, version=expected_version + 1)
        if tracking is not None:
            await self.append_tracking(view.order_id, tracking, session=session)
        if contract is not None:
            await self.record_contract(view.order_id, *contract, session=session)

    async def open_view(self, view: OrderView, contract: tuple[str, Document], *, session: Session) -> None:
        record = self._record(view.order_id)
        if record.view is None:
            self._replace(record, view=view, version=record.version + 1)
        await self.record_contract(view.order_id, *contract, session=session)

    async def note_first(
        self, order_id: str, fact: FirstReport, at: datetime, *, tracking: Document, session: Session
    ) -> bool:
        record = self._record(order_id)
        if record.view is None:
            return False
        view = record_first(record.view, fact, at)
        if view != record.view:
            self._replace(record, view=view, version=record.version + 1)
        await self.append_tracking(order_id, tracking, session=session)
        return True

    async def append_tracking(self, order_id: str, entry: Document, *, session: Session) -> None:
        record = self._record(order_id)
        self._replace(record, tracking=[*record.tracking, entry])

    async def append_inspection(self, order_id: str, report: Document, *, session: Session) -> None:
        record = self._record(order_id)
        self._replace(record, inspections=[*record.inspections, report])

    async def lock(self, order_id: str, *, session: Session) -> None:
        """Units of work run one at a time in memory: there is nothing to serialise."""

    def _record(self, order_id: str) -> OrderRecord:
        return self._records.get(order_id) or OrderRecord(order_id=order_id, version=0, view=None)

    def _replace(self, record: OrderRecord, **changes: Any) -> None:
        self._records[record.order_id] = dataclasses.replace(record, **changes)

    def snapshot(self) -> Any:
        return dict(self._records)

    def restore(self, state: Any) -> None:
        self._records = state


class InMemoryConversation:
    """Append-only hash-chained records; a seq appended twice is refused, as the unique (order, seq) is."""

    def __init__(self) -> None:
        self._records: dict[str, list[StoredRecord]] = {}

    async def last(self, order_id: str, *, session: Session) -> ConversationRecord | None:
        mine = self._chain(order_id)
        return mine[-1].record if mine else None

    async def append(
        self, record: ConversationRecord, flags: tuple[OffPlatformMatch, ...], *, session: Session
    ) -> None:
        mine = self._records.get(record.order_id, [])
        if any(stored.record.seq == record.seq for stored in mine):
            raise Conflict(f"message {record.seq} of order {record.order_id} exists")
        self._records[record.order_id] = [*mine, StoredRecord(record, flags)]

    async def records(
        self, order_id: str, *, after_seq: int = 0, limit: int | None = None
    ) -> list[StoredRecord]:
        after = [stored for stored in self._chain(order_id) if stored.record.seq > after_seq]
        return after if limit is None else after[:limit]

    async def verify(self, order_id: str) -> VerifyResult:
        return verify_chain([stored.record for stored in self._chain(order_id)])

    def _chain(self, order_id: str) -> list[StoredRecord]:
        return sorted(self._records.get(order_id, []), key=lambda stored: stored.record.seq)

    def snapshot(self) -> Any:
        return dict(self._records)

    def restore(self, state: Any) -> None:
        self._records = state


@dataclass
class FakeDisputes:
    """Disputes bootstrapped as app.py bootstraps it, over in-memory stores; its timers swept by hand."""

    clock: ManualClock
    policy: DisputesPolicy = field(default_factory=DisputesPolicy)
    orders: InMemoryDisputeOrders = field(default_factory=InMemoryDisputeOrders)
    claims: InMemoryClaims = field(default_factory=InMemoryClaims)
    conversation: InMemoryConversation = field(default_factory=InMemoryConversation)
    after_sales: InMemoryAfterSales = field(default_factory=InMemoryAfterSales)

    def __post_init__(self) -> None:
        self.uow = FakeUnitOfWork(self.orders, self.claims, self.conversation, self.after_sales)
        self.disputes: Disputes = bootstrap(
            uow=self.uow,
            clock=self.clock,
            orders=self.orders,
            claims=self.claims,
            conversation=self.conversation,
            after_sales=self.after_sales,
            policy=self.policy,
            rules=DEFAULT_RULES,
        )

    async def deliver(self, event: Event) -> None:
        """One consumer delivery of another service's event, in a unit of work of its own."""
        await self.uow.deliver(self.disputes.subscriptions, event, occurred_at=self.clock.now())

    def published(self, event_type: type[E]) -> list[E]:
        """The committed events of one type, oldest first."""
        return [event for event in self.uow.published if isinstance(event, event_type)]

    async def claim(self, claim_id: str) -> Claim:
        stored = await self.claims.get(claim_id)
        assert stored is not None, f"no claim {claim_id}"
        return stored.value

    async def sweep_timers(self) -> None:
        """What the deadline timers do when the clock has moved: fire every due claim and request, each in a
        unit of work of its own."""
        now = self.clock.now()
        due: list[tuple[TimerHandler, str]] = [
            (self.disputes.negotiation.deadline_passed, stored.value.claim_id)
            for stored in self.claims.where(lambda claim: _is_due(claim.timer_due_at, now))
        ]
        due += [
            (self.disputes.after_sales.overdue, stored.value.request_id)
            for stored in self.after_sales.where(lambda request: _is_due(request.timer_due_at, now))
        ]
        for fire, value_id in due:
            await self.uow.fire(fire, value_id, now)


def _is_due(due: datetime | None, now: datetime) -> bool:
    return due is not None and due <= now
