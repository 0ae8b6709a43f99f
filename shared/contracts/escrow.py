"""What escrow tells the others: order events (`escrow.<event>.v1`) and the order vocabulary they carry."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.clock import UtcDateTime
from shared.contracts.catalog import AfterSalesLabel, EasyReturnTerms
from shared.messaging.envelope import Event
from shared.money import ExchangeRate, Money


class BuyerTier(StrEnum):
    """Snapshotted from the buyer's token into the order; windows and compensation depend on it."""

    STANDARD = "standard"
    ENTERPRISE = "enterprise"
    ENTERPRISE_PRO = "enterprise_pro"


class OrderKind(StrEnum):
    STANDARD = "standard"
    SAMPLE = "sample"
    GUARANTEED = "guaranteed"


class RefundCause(StrEnum):
    """The only two ways money goes back to a buyer."""

    CANCELLATION = "cancellation"
    DISPUTE_DECISION = "dispute_decision"


class RefundSource(StrEnum):
    ESCROW = "escrow"
    GUARANTEE_FUND = "guarantee_fund"


class DeadlineKind(StrEnum):
    """The promises of the on-time delivery guarantee."""

    DISPATCH = "dispatch"
    DELIVERY = "delivery"


def promise_broken(deadline: DeadlineKind, due: datetime, done_at: datetime | None, now: datetime) -> bool:
    """The one reading of a promise, for escrow, logistics and disputes alike.

    `due` is the order's `dispatch_deadline` or `delivery_late_from`. A dispatch at its deadline keeps the
    promise (the deadline is the last instant allowed); a delivery at `delivery_late_from` breaks it (that
    instant is the local midnight that ends the promised day). Not yet done, the promise is broken once
    doing it now would be late.
    """
    at = now if done_at is None else done_at
    return at > due if deadline is DeadlineKind.DISPATCH else at >= due


class CompensationFunding(StrEnum):
    GUARANTEE_FUND = "guarantee_fund"
    PLATFORM = "platform"


class ReceiptConfirmation(StrEnum):
    BUYER = "buyer"
    AUTOMATIC = "automatic"


class OrderStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    FUNDED = "funded"
    IN_PRODUCTION = "in_production"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FROZEN = "frozen"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


class ProtectionTerms(BaseModel):
    """The buyer's protection as the contract froze it when the order was placed.

    Every later decision about this order (compensation, money back, Easy Return) reads these facts, in
    escrow and, through `OrderFunded`, in logistics and disputes: none recomputes them from today's policy.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    exchange_rate: ExchangeRate = Field(description="The quote's rate; every USD limit converts at it.")
    easy_return: EasyReturnTerms
    compensation_cap: Money = Field(description="The on-time guarantee's USD cap, at the contract's rate.")
    automatic_compensation: bool = Field(description="The buyer's tier is credited without asking.")
    compensation_claim_window_days: int = Field(ge=0, description="Days after a broken promise.")
    money_back_window_days: int = Field(ge=0, description="Days after delivery, for the buyer's tier.")

    @model_validator(mode="after")
    def _in_the_orders_currency(self) -> ProtectionTerms:
        currency = self.exchange_rate.currency
        if {self.compensation_cap.currency, self.easy_return.value_cap.currency} != {currency}:
            raise ValueError(f"caps must be in the order's currency {currency}, at its rate")
        return self

    @property
    def currency(self) -> str:
        return self.exchange_rate.currency


class OrderEvent(Event):
    """The parties every order event names, so consumers can authorise and keep read models per party."""

    order_id: str
    buyer_id: str
    supplier_id: str
    buyer_tier: BuyerTier


class OrderPlaced(OrderEvent):
    TYPE: ClassVar[str] = "escrow.order_placed"

    order_kind: OrderKind
    product_id: str
    quantity: int
    total: Money
    destination_country: str
    guaranteed: bool
    inspection_required: bool
    placed_at: UtcDateTime


class OrderFunded(OrderEvent):
    """Logistics opens the shipment on its promise; disputes starts its order read model and windows."""

    TYPE: ClassVar[str] = "escrow.order_funded"

    order_kind: OrderKind
    payment_id: str
    paid: Money
    product_id: str
    quantity: int
    destination_country: str
    destination_timezone: str
    guaranteed: bool
    inspection_required: bool
    after_sales: tuple[AfterSalesLabel, ...]
    protection: ProtectionTerms
    goods_total: Money | None = None
    shipping: Money | None = None
    route_id: str | None = None
    origin_country: str | None = None
    handling_time: timedelta
    transit_days: int
    # Escrow's delivery promise, fixed at funding; logistics keeps it as the shipment's promise.
    dispatch_deadline: UtcDateTime
    promised_delivery_date: date
    delivery_late_from: UtcDateTime
    funded_at: UtcDateTime


class OrderCancelled(OrderEvent):
    TYPE: ClassVar[str] = "escrow.order_cancelled"

    reason: str
    refunded: Money
    cancelled_at: UtcDateTime


class ReceiptConfirmed(OrderEvent):
    """The order is complete: reviews open and supplier metrics count it."""

    TYPE: ClassVar[str] = "escrow.receipt_confirmed"

    confirmed_by: ReceiptConfirmation
    product_id: str
    quantity: int
    confirmed_at: UtcDateTime


class FundsReleased(OrderEvent):
    TYPE: ClassVar[str] = "escrow.funds_released"

    released: Money
    platform_fee: Money
    recovered_receivable: Money
    supplier_payout: Money
    released_at: UtcDateTime


class OrderFrozen(OrderEvent):
    TYPE: ClassVar[str] = "escrow.order_frozen"

    claim_id: str
    previous_status: OrderStatus
    frozen_at: UtcDateTime


class OrderUnfrozen(OrderEvent):
    TYPE: ClassVar[str] = "escrow.order_unfrozen"

    claim_id: str
    resumed_status: OrderStatus
    unfrozen_at: UtcDateTime


class RefundIssued(OrderEvent):
    TYPE: ClassVar[str] = "escrow.refund_issued"

    refund_id: str
    cause: RefundCause
    source: RefundSource
    amount: Money
    total_refunded: Money
    paid: Money
    claim_id: str | None
    issued_at: UtcDateTime
    # A payment captured after the order was cancelled, handed straight back: the order was never funded.
    after_cancellation: bool = False


class CompensationIssued(OrderEvent):
    TYPE: ClassVar[str] = "escrow.compensation_issued"

    deadline: DeadlineKind
    late_from: UtcDateTime
    amount: Money
    funded_by: CompensationFunding
    automatic: bool
    issued_at: UtcDateTime
