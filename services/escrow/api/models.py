"""Request and response models of escrow's HTTP API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.escrow.adapters.payment_provider import IntentStatus, PaymentIntent
from services.escrow.domain.contract import Contract, ContractAmendment, DocumentHash
from services.escrow.domain.order import (
    CompensationRecord,
    MissedDeadline,
    Order,
    RefundRecord,
    ReleaseRecord,
)
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.promise import DeliveryPromise
from services.escrow.domain.reconciliation import Breach
from services.escrow.domain.release import auto_confirm_due_at
from services.escrow.domain.terms import Incoterm
from shared.clock import UtcDateTime
from shared.contracts.escrow import BuyerTier, DeadlineKind, OrderKind, OrderStatus
from shared.money import Money, Quantity
from shared.text import AttributeKey, AttributeValue, PlainText


class PlaceOrder(BaseModel):
    """A signed catalog quote plus the terms the quote leaves to the buyer (defaults from configuration)."""

    model_config = ConfigDict(extra="forbid")

    quote: PlainText = Field(min_length=1, max_length=20_000, description="The quote token catalog signed.")
    incoterm: Incoterm | None = None
    destination_timezone: PlainText | None = Field(
        default=None,
        max_length=64,
        examples=["America/Los_Angeles"],
        description="The destination's IANA zone; required where its country keeps several clocks "
        "(US, CA, MX, BR, AU, RU, ID, ...), else the country's own zone is used.",
    )
    handling_days: int | None = Field(default=None, ge=1, le=90)
    transit_days: int | None = Field(default=None, ge=1, le=180)
    inspection_required: bool = False
    product_specs: dict[AttributeKey, AttributeValue] = Field(
        fail_fast=True, default_factory=dict, max_length=50
    )
    documents: list[DocumentHash] = Field(fail_fast=True, default_factory=list, max_length=20)


class ProposeAmendment(BaseModel):
    """The terms to change; everything not named stays as agreed."""

    model_config = ConfigDict(extra="forbid")

    quantity: Quantity | None = None
    unit_price: Money | None = None
    shipping: Money | None = None
    incoterm: Incoterm | None = None
    inspection_required: bool | None = None
    product_specs: dict[AttributeKey, AttributeValue] | None = Field(
        fail_fast=True, default=None, max_length=50
    )
    documents: list[DocumentHash] | None = Field(fail_fast=True, default=None, max_length=20)
    handling_days: int | None = Field(default=None, ge=1, le=90)
    transit_days: int | None = Field(default=None, ge=1, le=180)

    @model_validator(mode="after")
    def _changes_something(self) -> ProposeAmendment:
        if not self.model_dump(exclude_none=True):
            raise ValueError("name at least one term to change")
        return self


class CancelOrder(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: PlainText = Field(min_length=1, max_length=500)


class ClaimCompensation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deadline: DeadlineKind


class OrderView(BaseModel):
    order_id: str
    kind: OrderKind
    status: OrderStatus
    version: int
    buyer_id: str
    supplier_id: str
    buyer_tier: BuyerTier
    contract: Contract
    contract_history: list[Contract]
    pending_amendment: ContractAmendment | None
    paid: Money
    held: Money
    released: Money
    refunded: Money
    promise: DeliveryPromise | None
    placed_at: UtcDateTime
    funded_at: UtcDateTime | None
    shipped_at: UtcDateTime | None
    delivered_at: UtcDateTime | None
    completed_at: UtcDateTime | None
    cancelled_at: UtcDateTime | None
    frozen_by_claim: str | None = Field(description="The oldest claim still open, while the order is frozen.")
    open_claims: list[str] = Field(description="Every claim still open, oldest first: release waits for all.")
    auto_confirm_at: UtcDateTime | None
    refunds: list[RefundRecord]
    release: ReleaseRecord | None
    missed_deadlines: list[MissedDeadline]
    compensation: CompensationRecord | None

    @classmethod
    def of(cls, order: Order, policy: EscrowPolicy) -> OrderView:
        return cls(
            **order.model_dump(
                include={
                    "order_id",
                    "kind",
                    "status",
                    "version",
                    "buyer_id",
                    "supplier_id",
                    "buyer_tier",
                    "pending_amendment",
                    "paid",
                    "promise",
                    "placed_at",
                    "funded_at",
                    "shipped_at",
                    "delivered_at",
                    "completed_at",
                    "cancelled_at",
                    "release",
                    "compensation",
                }
            ),
            contract=order.contract,
            contract_history=list(order.contracts),
            held=order.held,
            released=order.released,
            refunded=order.refunded_from(),
            frozen_by_claim=order.open_claims[0].claim_id if order.open_claims else None,
            open_claims=[claim.claim_id for claim in order.open_claims],
            auto_confirm_at=auto_confirm_due_at(order, policy),
            refunds=list(order.refunds),
            missed_deadlines=list(order.missed_deadlines),
        )


class PaymentIntentView(BaseModel):
    """Hand `client_secret` to the provider's payment page; the order is funded when its webhook arrives."""

    intent_id: str
    order_id: str
    amount: Money
    status: IntentStatus
    client_secret: str

    @classmethod
    def of(cls, intent: PaymentIntent) -> PaymentIntentView:
        return cls.model_validate(intent.model_dump())


class WebhookReceipt(BaseModel):
    received: bool
    outcome: str


class LedgerCheck(BaseModel):
    ok: bool
    breaches: list[Breach]
    entries_checked: int
    orders_checked: int
    checked_at: UtcDateTime
