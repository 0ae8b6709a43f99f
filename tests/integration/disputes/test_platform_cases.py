"""Facts from logistics open claims by themselves: loss, damage, a failed inspection, a missed deadline."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from shared.contracts.escrow import (
    BuyerTier,
    CompensationFunding,
    CompensationIssued,
    DeadlineKind,
    OrderCancelled,
    RefundCause,
    RefundIssued,
    RefundSource,
)
from shared.contracts.logistics import (
    Criterion,
    CriterionResult,
    DeliveryDeadlineMissed,
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


async def test_missed_delivery_deadline_lets_the_buyer_claim_compensation_in_one_call(
    disputes: Disputes,
) -> None:
    # Given a funded order whose delivery deadline logistics reports missed
    await disputes.funded("ord-1")
    late_from = NOW + timedelta(days=5)
    disputes.clock.advance(timedelta(days=6))
    await disputes.inject.publish(
        DeliveryDeadlineMissed(
            **shipment("ord-1"),
            guaranteed=False,
            promised_delivery_date=late_from.date(),
            delivery_late_from=late_from,
            detected_at=late_from,
        )
    )

    async def recorded() -> bool:
        order = await disputes.order("ord-1")
        return order is not None and order["view"]["missed_deadlines"] == ["delivery"]

    await disputes.until(recorded)

    # When the buyer claims lateness in one call
    status, claim = await disputes.call(
        "POST", "/v1/orders/ord-1/late-claims", disputes.buyer(), {"deadline": "delivery"}
    )

    # Then a late_delivery claim asks escrow for compensation
    assert status == 201, claim
    [opened] = await disputes.published("disputes.claim_opened")
    assert (opened["reason"], opened["requested_outcome"]) == ("late_delivery", "compensation")

    # When escrow pays the compensation, the claim is resolved, once
    await disputes.inject.publish(
        CompensationIssued(
            **parties("ord-1"),
            buyer_tier=BuyerTier.STANDARD,
            deadline=DeadlineKind.DELIVERY,
            late_from=late_from,
            amount=usd(10_000),
            funded_by=CompensationFunding.GUARANTEE_FUND,
            automatic=False,
            issued_at=NOW + timedelta(days=6),
        )
    )

    async def resolved() -> bool:
        return len(await disputes.published("disputes.claim_resolved")) == 1

    await disputes.until(resolved)
    [resolution] = await disputes.published("disputes.claim_resolved")
    assert resolution["decision"] == "compensation"
    # And a second late claim on a compensated order is refused
    status, problem = await disputes.call(
        "POST", "/v1/orders/ord-1/late-claims", disputes.buyer(), {"deadline": "delivery"}
    )
    assert status == 409
    assert problem["type"].endswith("/already-compensated")


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
