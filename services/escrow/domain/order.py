"""The Trade Assurance order: its state, the allowed transitions between states, and what a change yields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from pydantic import BaseModel, ConfigDict, Field

from shared.clock import UtcDateTime
from shared.contracts.escrow import (
    BuyerTier,
    CompensationFunding,
    DeadlineKind,
    OrderKind,
    OrderStatus,
    ReceiptConfirmation,
    RefundCause,
    RefundSource,
)
from shared.messaging.envelope import Event
from shared.money import Money

from .contract import Contract, ContractAmendment
from .errors import TransitionNotAllowedError
from .journal import JournalEntry
from .promise import DeliveryPromise

S = OrderStatus
ALLOWED_TRANSITIONS: Mapping[OrderStatus, frozenset[OrderStatus]] = {
    S.AWAITING_PAYMENT: frozenset({S.FUNDED, S.CANCELLED}),
    S.FUNDED: frozenset({S.IN_PRODUCTION, S.SHIPPED, S.CANCELLED, S.FROZEN}),
    S.IN_PRODUCTION: frozenset({S.SHIPPED, S.CANCELLED, S.FROZEN}),
    S.SHIPPED: frozenset({S.DELIVERED, S.COMPLETED, S.FROZEN}),
    S.DELIVERED: frozenset({S.COMPLETED, S.FROZEN}),
    S.COMPLETED: frozenset({S.FROZEN}),
    # A claim ends with the refund its decision orders, or by resuming `frozen_from` (Order.resumed):
    # no ordinary transition may leave a frozen order, so nothing is released or cancelled meanwhile.
    S.FROZEN: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    # What is left in escrow after a partial refund is still released, or claimed again.
    S.PARTIALLY_REFUNDED: frozenset({S.COMPLETED, S.FROZEN}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}


class RefundRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    refund_id: str
    cause: RefundCause
    source: RefundSource
    amount: Money
    claim_id: str | None = None
    issued_at: UtcDateTime


class ReleaseRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: Money
    platform_fee: Money
    recovered_receivable: Money
    confirmed_by: ReceiptConfirmation
    released_at: UtcDateTime


class MissedDeadline(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    deadline: DeadlineKind
    late_from: UtcDateTime


class CompensationRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    deadline: DeadlineKind
    amount: Money
    funded_by: CompensationFunding
    automatic: bool
    issued_at: UtcDateTime


class OpenClaim(BaseModel):
    """A claim disputes opened on the order that has not ended yet: while any is open, nothing is released."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    claim_id: str
    opened_at: UtcDateTime


class Order(BaseModel):
    """Aggregate root, stored as one document; `version` is its revision as clients see it (saves are
    guarded by the store's own version, shared.store)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: str
    kind: OrderKind
    buyer_id: str
    supplier_id: str
    buyer_tier: BuyerTier
    status: OrderStatus
    version: int = Field(default=1, ge=1)
    contracts: tuple[Contract, ...] = Field(min_length=1, description="Every agreed version, oldest first.")
    pending_amendment: ContractAmendment | None = None
    placed_at: UtcDateTime
    payment_id: str | None = None
    paid: Money
    promise: DeliveryPromise | None = None
    funded_at: UtcDateTime | None = None
    shipped_at: UtcDateTime | None = None
    delivered_at: UtcDateTime | None = None
    completed_at: UtcDateTime | None = None
    cancelled_at: UtcDateTime | None = None
    open_claims: tuple[OpenClaim, ...] = Field(default=(), description="Oldest first; frozen while any.")
    frozen_from: OrderStatus | None = Field(default=None, description="Where the order resumes on unfreeze.")
    resolved_claim_ids: tuple[str, ...] = ()
    refunds: tuple[RefundRecord, ...] = ()
    release: ReleaseRecord | None = None
    missed_deadlines: tuple[MissedDeadline, ...] = ()
    compensation: CompensationRecord | None = None

    @property
    def contract(self) -> Contract:
        return self.contracts[-1]

    @property
    def currency(self) -> str:
        return self.paid.currency

    @property
    def released(self) -> Money:
        return self.release.amount if self.release else Money.zero(self.currency)

    def refunded_from(self, source: RefundSource | None = None) -> Money:
        """Total refunded, from one source or from all."""
        total = Money.zero(self.currency)
        for refund in self.refunds:
            if source is None or refund.source is source:
                total += refund.amount
        return total

    @property
    def held(self) -> Money:
        """What the order's escrow account holds: paid, less released, less refunded from escrow."""
        return self.paid - self.released - self.refunded_from(RefundSource.ESCROW)

    @property
    def refundable(self) -> Money:
        """Never more than was paid, less everything refunded so far."""
        return self.paid - self.refunded_from()

    def open_claim(self, claim_id: str) -> OpenClaim | None:
        return next((claim for claim in self.open_claims if claim.claim_id == claim_id), None)

    def updated(self, **changes: object) -> Order:
        """A validated copy with the changes and the next version."""
        return Order.model_validate({**dict(self), **changes, "version": self.version + 1})

    def check_transition(self, status: OrderStatus) -> None:
        """Refuse any edge the state machine does not have."""
        if status not in ALLOWED_TRANSITIONS[self.status]:
            raise TransitionNotAllowedError(
                f"order {self.order_id} cannot go from {self.status.value} to {status.value}"
            )

    def resumed(self, **changes: object) -> Order:
        """Back to the state the order was frozen from, when its claim ends without a refund."""
        if self.status is not OrderStatus.FROZEN or self.frozen_from is None:
            raise TransitionNotAllowedError(f"order {self.order_id} is not frozen")
        return self.updated(status=self.frozen_from, **changes)

    def moved_to(self, status: OrderStatus, **changes: object) -> Order:
        """The guarded transition to `status`, with the other changes it brings."""
        self.check_transition(status)
        return self.updated(status=status, **changes)


class OrderChange(BaseModel):
    """What a domain operation decided: the new order, the events to publish, the entries to book.

    `changed` is False when the operation was already applied (a duplicate): save nothing, publish nothing.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    order: Order
    events: tuple[Event, ...] = ()
    entries: tuple[JournalEntry, ...] = ()
    changed: bool = True

    @classmethod
    def unchanged(cls, order: Order) -> OrderChange:
        return cls(order=order, changed=False)


class OrderParties(TypedDict):
    order_id: str
    buyer_id: str
    supplier_id: str
    buyer_tier: BuyerTier


def parties(order: Order) -> OrderParties:
    """The fields every order event starts with."""
    return OrderParties(
        order_id=order.order_id,
        buyer_id=order.buyer_id,
        supplier_id=order.supplier_id,
        buyer_tier=order.buyer_tier,
    )
