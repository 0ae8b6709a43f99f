"""Other services' events as the catalog hears them, with only the fields a test cares about to fill in."""

from __future__ import annotations

from datetime import datetime

from shared.contracts.disputes import ClaimOpened, ClaimOpener, ClaimReason, RequestedOutcome
from shared.contracts.escrow import (
    BuyerTier,
    ReceiptConfirmation,
    ReceiptConfirmed,
    RefundCause,
    RefundIssued,
    RefundSource,
)
from shared.contracts.logistics import DispatchDeadlineMissed, ShipmentDelivered, ShipmentDispatched
from shared.money import Money
from tests.integration.catalog.support import NOW

USD_100 = Money(amount=10_000, currency="USD")


def parties(order_id: str, supplier_id: str, buyer_id: str = "b-1") -> dict[str, str]:
    return {"order_id": order_id, "buyer_id": buyer_id, "supplier_id": supplier_id}


def receipt_confirmed(
    order_id: str, supplier_id: str, product_id: str, buyer_id: str = "b-1", at: datetime = NOW
) -> ReceiptConfirmed:
    return ReceiptConfirmed(
        **parties(order_id, supplier_id, buyer_id),
        buyer_tier=BuyerTier.STANDARD,
        confirmed_by=ReceiptConfirmation.BUYER,
        product_id=product_id,
        quantity=500,
        confirmed_at=at,
    )


def refund_issued(order_id: str, supplier_id: str) -> RefundIssued:
    return RefundIssued(
        **parties(order_id, supplier_id),
        buyer_tier=BuyerTier.STANDARD,
        refund_id=f"rf-{order_id}",
        cause=RefundCause.DISPUTE_DECISION,
        source=RefundSource.ESCROW,
        amount=USD_100,
        total_refunded=USD_100,
        paid=USD_100,
        claim_id=f"c-{order_id}",
        issued_at=NOW,
    )


def dispatched(order_id: str, supplier_id: str, on_time: bool) -> ShipmentDispatched:
    return ShipmentDispatched(
        **parties(order_id, supplier_id),
        shipment_id=f"s-{order_id}",
        carrier="DHL",
        tracking_number="T1",
        dispatched_at=NOW,
        dispatch_deadline=NOW,
        on_time=on_time,
    )


def dispatch_missed(order_id: str, supplier_id: str) -> DispatchDeadlineMissed:
    return DispatchDeadlineMissed(
        **parties(order_id, supplier_id),
        shipment_id=f"s-{order_id}",
        guaranteed=True,
        dispatch_deadline=NOW,
        detected_at=NOW,
    )


def delivered(order_id: str, supplier_id: str, on_time: bool) -> ShipmentDelivered:
    return ShipmentDelivered(
        **parties(order_id, supplier_id),
        shipment_id=f"s-{order_id}",
        delivered_at=NOW,
        promised_delivery_date=NOW.date(),
        on_time=on_time,
    )


def claim_opened(order_id: str, supplier_id: str) -> ClaimOpened:
    return ClaimOpened(
        claim_id=f"c-{order_id}",
        **parties(order_id, supplier_id),
        reason=ClaimReason.QUALITY_NOT_AS_AGREED,
        requested_outcome=RequestedOutcome.FULL_REFUND,
        amount=USD_100,
        opened_by=ClaimOpener.BUYER,
        source=None,
        opened_at=NOW,
    )
