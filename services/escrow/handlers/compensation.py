"""On-time delivery guarantee: missed deadlines from logistics become buyer credit, once per order."""

from __future__ import annotations

from datetime import datetime

import structlog

from services.escrow.domain import compensation
from services.escrow.domain.errors import CompensationRefusedError
from services.escrow.domain.order import Order, OrderChange
from services.escrow.domain.terms import Party
from shared.contracts.escrow import DeadlineKind
from shared.mongo import Session
from shared.security.jwt import Principal
from shared.unit_of_work import Transaction

from .access import require_party
from .books import Books

log = structlog.get_logger("services.escrow")


class Compensation:
    def __init__(self, books: Books) -> None:
        self._books = books

    async def deadline_missed(
        self, tx: Transaction, order_id: str, deadline: DeadlineKind, late_from: datetime
    ) -> Order:
        """Record the broken promise; enterprise buyers are credited at once when it is already due."""
        books = self._books

        async def decide(order: Order, _: Session) -> OrderChange:
            recorded = compensation.record_missed_deadline(order, deadline, late_from)
            issued = self._automatic_change(recorded.order, deadline, books.clock.now())
            # None: not due yet (the timer will credit it), or not automatic for this buyer.
            return issued or recorded

        return await books.apply(tx, order_id, decide)

    async def automatic(self, tx: Transaction, order_id: str, now: datetime) -> None:
        """Timer fire for enterprise buyers: credit the earliest broken promise that is now due."""
        books = self._books

        async def decide(current: Order, _: Session) -> OrderChange:
            for missed in sorted(current.missed_deadlines, key=lambda m: m.late_from):
                issued = self._automatic_change(current, missed.deadline, now)
                if issued is not None:
                    return issued
            return OrderChange.unchanged(current)

        await books.apply(tx, order_id, decide)

    async def claim(self, order_id: str, who: Principal, deadline: DeadlineKind) -> Order:
        """A buyer claims credit for a missed promise, within the claim window, once per order."""
        books = self._books

        async def decide(order: Order, _: Session) -> OrderChange:
            require_party(order, who, Party.BUYER)
            now = books.clock.now()
            recorded = compensation.record_missed_by_promise(order, deadline, now).order
            return compensation.issue_compensation(
                recorded, deadline, automatic=False, now=now, policy=books.policy
            )

        return await books.change(order_id, decide)

    def _automatic_change(self, order: Order, deadline: DeadlineKind, now: datetime) -> OrderChange | None:
        try:
            change = compensation.issue_compensation(
                order, deadline, automatic=True, now=now, policy=self._books.policy
            )
        except CompensationRefusedError as refused:
            log.info("automatic_compensation_not_issued", order_id=order.order_id, reason=refused.reason)
            return None
        return change if change.changed else None
