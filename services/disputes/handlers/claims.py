"""The claim service layer: load order and claim → the domain decides → guarded save + events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from services.disputes.domain.claim import Claim
from services.disputes.domain.errors import ProtectionWindowClosedError
from services.disputes.domain.orders import FirstReport, OrderRecord, OrderView
from services.disputes.domain.policy import DisputesPolicy
from shared.clock import Clock
from shared.errors import Conflict, Rejected
from shared.messaging.envelope import Event
from shared.mongo import Document, Session
from shared.store import value_of
from shared.unit_of_work import Transaction, UnitOfWork

from .ports import Claims, Orders

Opening = Callable[[OrderView, list[Claim]], tuple[Claim, Sequence[Event]]]
Decision = Callable[[Claim, OrderView], tuple[Claim, Sequence[Event]]]


class ClaimNotFound(Rejected):
    """No claim the caller may see has this id; someone else's is reported the same way."""

    code = "dispute_not_found"


class OrderNotFound(Rejected):
    """An order disputes knows, but not one the caller may see."""

    code = "order_not_found"


class OrderNotKnownYet(Conflict):
    """Disputes has not heard of the order from escrow (yet): retry after `Retry-After` seconds.

    Disputes learns orders from escrow's events, so an order whose payment escrow has just accepted is
    unknown here for a moment, and an order id escrow never issued looks exactly the same: both answer this.
    """

    code = "order_not_yet_known"
    retry_after_seconds = 2


@dataclass(frozen=True)
class Casework:
    """The unit of work, the order read model, the claims, the policy and the clock every handler uses."""

    uow: UnitOfWork
    clock: Clock
    orders: Orders
    claims: Claims
    policy: DisputesPolicy

    def now(self) -> datetime:
        return self.clock.now()

    async def order_view(self, order_id: str, *, session: Session | None = None) -> tuple[OrderView, int]:
        record = await self.orders.get(order_id, session=session)
        if record is None or record.view is None:
            raise _not_known_yet(order_id)
        return record.view, record.version

    async def order(self, order_id: str) -> OrderRecord | None:
        return await self.orders.get(order_id)

    async def claim(self, claim_id: str) -> Claim | None:
        stored = await self.claims.get(claim_id)
        return value_of(stored)

    async def claims_of(self, order_id: str) -> list[Claim]:
        """Every claim of the order, oldest first."""
        return [stored.value for stored in await self.claims.of_order(order_id)]

    async def change_view(
        self,
        tx: Transaction,
        order_id: str,
        new_view: Callable[[OrderView], OrderView],
        *,
        tracking: Document | None = None,
    ) -> None:
        """Apply a pure read-model update; an order not funded yet raises, so the message is retried later.

        `tracking`: the event's entry in the order's tracking history, written with the view (one write)."""
        view, version = await self.order_view(order_id, session=tx.session)
        changed = new_view(view)
        if changed != view:
            await self.orders.save_view(
                changed, expected_version=version, session=tx.session, tracking=tracking
            )
        elif tracking is not None:
            await self.orders.append_tracking(order_id, tracking, session=tx.session)

    async def note_first(
        self, tx: Transaction, order_id: str, fact: FirstReport, at: datetime, *, tracking: Document
    ) -> None:
        """A shipment fact of which the first report counts (`record_first`), with its tracking entry, in
        one write; an order not funded yet raises, so the message is retried later."""
        if not await self.orders.note_first(order_id, fact, at, tracking=tracking, session=tx.session):
            raise _not_known_yet(order_id)

    async def open_in(self, tx: Transaction, order_id: str, opening: Opening) -> Claim:
        """Open a claim on an order; the order lock makes the one-open-claim-per-reason rule race-free."""
        order, _ = await self.order_view(order_id, session=tx.session)
        await self.orders.lock(order_id, session=tx.session)
        open_claims = [
            s.value for s in await self.claims.of_order(order_id, session=tx.session) if s.value.is_open
        ]
        claim, events = opening(order, open_claims)
        await self.claims.insert(claim, session=tx.session)
        await tx.emit_all(events)
        return claim

    async def change_in(self, tx: Transaction, claim_id: str, decision: Decision) -> Claim:
        """Change one claim inside `tx` (a consumer's, a timer's or a command's)."""
        stored = await self.claims.get(claim_id, session=tx.session)
        if stored is None:
            raise ClaimNotFound(f"no dispute {claim_id}")
        order, _ = await self.order_view(stored.value.order_id, session=tx.session)
        claim, events = decision(stored.value, order)
        if not events and claim == stored.value:
            return claim  # a repeat that changes nothing (e.g. a redelivered refund_issued)
        await self.claims.save(claim, expected_version=stored.version, session=tx.session)
        await tx.emit_all(events)
        return claim

    async def open(self, order_id: str, opening: Opening) -> Claim:
        """Open a claim as a unit of work of its own (an HTTP command); one that came too late is refused,
        and the refusal announced by the same unit of work."""

        async def work(tx: Transaction) -> Claim | ProtectionWindowClosedError:
            try:
                return await self.open_in(tx, order_id, opening)
            except ProtectionWindowClosedError as too_late:
                await tx.emit(too_late.refused)
                return too_late

        opened = await self.uow.run(work)
        if isinstance(opened, ProtectionWindowClosedError):
            raise opened
        return opened

    async def change(self, claim_id: str, decision: Decision) -> Claim:
        """Change one claim as a unit of work of its own (an HTTP command), retried as a whole."""

        async def work(tx: Transaction) -> Claim:
            return await self.change_in(tx, claim_id, decision)

        return await self.uow.run(work)


def _not_known_yet(order_id: str) -> OrderNotKnownYet:
    return OrderNotKnownYet(
        f"disputes has not heard of order {order_id} from escrow yet: if escrow has just accepted its"
        " payment, retry in a few seconds; an order id escrow never issued stays unknown"
    )
