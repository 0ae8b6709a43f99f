"""Property: any sequence of fund, release, refund, cancel, claim and compensation keeps the books proven."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.escrow.domain import accounts
from services.escrow.domain.claims import freeze_order, unfreeze_order
from services.escrow.domain.compensation import issue_compensation, record_missed_deadline
from services.escrow.domain.errors import EscrowError
from services.escrow.domain.journal import JournalEntry, balance, net_by_currency
from services.escrow.domain.journal_entries import owed_by_supplier
from services.escrow.domain.lifecycle import (
    cancel_order,
    fund_order,
    place_order,
    record_delivery,
    record_shipment,
)
from services.escrow.domain.order import Order, OrderChange
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.reconciliation import check_ledger, summarize
from services.escrow.domain.refunds import refund_by_decision
from services.escrow.domain.release import auto_confirm, confirm_receipt
from shared.clock import ManualClock
from shared.contracts.escrow import BuyerTier, DeadlineKind, OrderKind, RefundSource
from shared.errors import Conflict
from shared.money import Money

from .factories import T0, terms

POLICY = EscrowPolicy()
CURRENCIES = ("JPY", "USD", "KWD")
ORDERS = 6  # two per currency, one supplier: a refund after release on one is recovered from the other
# Repeated names make the journey forward more likely than cancelling at once.
OPERATIONS = (
    *("fund", "ship", "deliver", "confirm", "open_claim", "refund") * 3,
    "fund_again",
    "auto_confirm",
    "cancel",
    "withdraw_claim",
    "repeat_refund",
    "compensate",
)


class Books:
    """Orders of one supplier in three currencies, and every journal entry booked for them."""

    def __init__(self) -> None:
        self.clock = ManualClock(T0)
        self.entries: list[JournalEntry] = []
        self.orders = [self._place(index, CURRENCIES[index % len(CURRENCIES)]) for index in range(ORDERS)]

    def _place(self, index: int, currency: str) -> Order:
        tier = (BuyerTier.STANDARD, BuyerTier.ENTERPRISE)[index % 2]
        return place_order(
            order_id=f"o-{index}",
            kind=OrderKind.STANDARD,
            buyer_id=f"b-{index}",
            buyer_tier=tier,
            supplier_id="s-1",
            terms=terms(currency),
            now=self.clock.now(),
        ).order

    def apply(self, operation: str, index: int, percent: int, step: int) -> None:
        order = self.orders[index]
        try:
            change = self._operation(operation, order, percent, step)()
        except (EscrowError, Conflict):
            return  # a refused operation must leave the books as they were
        self.orders[index] = change.order
        self.entries.extend(change.entries)

    def _operation(self, operation: str, order: Order, percent: int, step: int) -> Callable[[], OrderChange]:
        now = self.clock.now()
        owed = owed_by_supplier(balance(self.entries, accounts.supplier_receivable("s-1"), order.currency))
        total = order.contract.terms.total
        refund_amount = order.refundable.with_amount(max(1, order.paid.amount * percent // 100))
        missed_at = order.promise.delivery_late_from if order.promise else now
        return {
            "fund": lambda: fund_order(order, payment_id="pay", amount=total, now=now),
            "fund_again": lambda: fund_order(order, payment_id=f"pay-{step}", amount=total, now=now),
            "ship": lambda: record_shipment(order, now),
            "deliver": lambda: record_delivery(order, now),
            "confirm": lambda: confirm_receipt(
                order, buyer_id=order.buyer_id, now=now, policy=POLICY, owed_by_supplier=owed
            ),
            "auto_confirm": lambda: auto_confirm(order, now=now, policy=POLICY, owed_by_supplier=owed),
            "cancel": lambda: cancel_order(order, reason="r", now=now),
            "open_claim": lambda: freeze_order(order, f"c-{step}", now),
            "withdraw_claim": lambda: unfreeze_order(order, _oldest_claim(order), now),
            "refund": lambda: self._decide(order, f"d-{step}", refund_amount, now),
            "repeat_refund": lambda: self._decide(order, "d-same", refund_amount, now),
            "compensate": lambda: issue_compensation(
                record_missed_deadline(order, DeadlineKind.DELIVERY, missed_at).order,
                DeadlineKind.DELIVERY,
                automatic=order.buyer_tier is BuyerTier.ENTERPRISE,
                now=now,
                policy=POLICY,
            ),
        }[operation]

    @staticmethod
    def _decide(order: Order, decision_id: str, amount: Money, now: datetime) -> OrderChange:
        claim_id = _oldest_claim(order)
        return refund_by_decision(order, decision_id=decision_id, claim_id=claim_id, amount=amount, now=now)


def _oldest_claim(order: Order) -> str:
    return order.open_claims[0].claim_id if order.open_claims else "no-open-claim"


steps = st.lists(
    st.tuples(
        st.sampled_from(OPERATIONS),
        st.integers(min_value=0, max_value=ORDERS - 1),
        st.integers(min_value=1, max_value=120),  # refund size as % of paid; above 100 must be refused
        st.integers(min_value=0, max_value=72),  # hours the clock moves before the operation
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(steps)
def test_random_operations_keep_zero_sum_and_escrow_bounds(
    operations: list[tuple[str, int, int, int]],
) -> None:
    books = Books()

    for step, (operation, index, percent, hours) in enumerate(operations):
        books.clock.advance(timedelta(hours=hours))
        books.apply(operation, index, percent, step)

        # Every prefix of history proves clean, not only the final books
        assert check_ledger(books.entries, [summarize(order) for order in books.orders]) == []

    assert all(total == 0 for total in net_by_currency(p for e in books.entries for p in e.postings).values())
    for order in books.orders:
        assert order.held.amount >= 0
        assert order.refunded_from() <= order.paid
        assert order.released + order.refunded_from(RefundSource.ESCROW) <= order.paid
        assert balance(books.entries, accounts.order_escrow(order.order_id), order.currency) == order.held
