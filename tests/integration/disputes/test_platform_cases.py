"""Facts from logistics open claims by themselves: loss, damage, a failed inspection, a missed deadline."""

from __future__ import annotations

from decimal import Decimal

from shared.contracts.escrow import (
    BuyerTier,
    OrderCancelled,
    RefundCause,
    RefundIssued,
    RefundSource,
)
from shared.contracts.logistics import (
    Criterion,
    CriterionResult,
    InspectionAgency,
    InspectionCompleted,
    ShipmentLost,
)
from shared.messaging.inbox import INBOX
from tests.integration.disputes.journey import NOW, Disputes, parties, shipment, usd


def inspection(order_id: str, *, passed: bool) -> InspectionCompleted:
    criterion = Criterion(name="defect_rate", unit="%", max_value=Decimal("2.5"))
    measured = Decimal("1.0") if passed else Decimal("7.5")
    return InspectionCompleted(
        **shipment(order_id),
        inspection_id=f"insp-{order_id}",
        agency=InspectionAgency.SGS,
        report_ref=f"SGS-{order_id}",
        passed=passed,
        results=(CriterionResult(criterion=criterion, measured=measured, passed=passed),),
        inspected_at=NOW,
    )


async def test_loss_and_failed_inspection_open_platform_cases_and_a_passed_one_does_not(
    disputes: Disputes,
) -> None:
    # Given two funded orders
    await disputes.funded("ord-lost")
    await disputes.funded("ord-insp")

    # When the carrier loses one, and the other passes one inspection and fails another
    await disputes.inject.publish(
        ShipmentLost(**shipment("ord-lost"), carrier="dhl", tracking_number="JD01", reported_at=NOW)
    )
    await disputes.inject.publish(inspection("ord-insp", passed=True))
    await disputes.inject.publish(inspection("ord-insp", passed=False))

    async def two_cases() -> bool:
        return len(await disputes.published("disputes.claim_opened")) == 2

    await disputes.until(two_cases)

    # Then each became a platform case, escalated straight to mediation, for a full refund
    opened = {event["order_id"]: event for event in await disputes.published("disputes.claim_opened")}
    assert opened["ord-lost"]["reason"] == "not_received"
    assert opened["ord-insp"]["reason"] == "quality_not_as_agreed"
    assert {event["opened_by"] for event in opened.values()} == {"platform"}
    status, case = await disputes.call(
        "GET", f"/v1/disputes/{opened['ord-lost']['claim_id']}", disputes.mediator()
    )
    assert status == 200
    assert case["status"] == "escalated"
    assert case["amount"] == usd(100_000).model_dump()
    # And the inspection reports are kept for the case file
    order = await disputes.order("ord-insp")
    assert order is not None
    assert [report["passed"] for report in order["inspections"]] == [True, False]


async def test_an_order_cancelled_before_payment_is_acknowledged_without_waiting_for_funding(
    disputes: Disputes,
) -> None:
    # Given escrow cancels an order the buyer had not paid for (disputes never heard it was funded),
    # and then hands back a payment that was captured after the cancellation
    cancelled = await disputes.inject.publish(
        OrderCancelled(
            **parties("ord-unpaid"),
            buyer_tier=BuyerTier.STANDARD,
            reason="changed my mind",
            refunded=usd(0),
            cancelled_at=NOW,
        )
    )
    handed_back = await disputes.inject.publish(
        RefundIssued(
            **parties("ord-unpaid"),
            buyer_tier=BuyerTier.STANDARD,
            refund_id="cancellation",
            cause=RefundCause.CANCELLATION,
            source=RefundSource.ESCROW,
            amount=usd(100_000),
            total_refunded=usd(100_000),
            paid=usd(100_000),
            claim_id=None,
            issued_at=NOW,
            after_cancellation=True,
        )
    )

    # Then disputes applies both at once, keeping no view of an order that has nothing to dispute
    inbox = disputes.service.platform.db[INBOX]

    async def applied() -> bool:
        keys = [f"escrow-events:{message.message_id}" for message in (cancelled, handed_back)]
        return await inbox.count_documents({"_id": {"$in": keys}}) == 2

    await disputes.until(applied)
    order = await disputes.order("ord-unpaid")
    assert order is None or order.get("view") is None
