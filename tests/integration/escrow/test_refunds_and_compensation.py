"""Refunds only from cancellation or a dispute decision; compensation for broken promises, once per order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deploy.local.polling import eventually
from shared.contracts.disputes import ClaimOpened, ClaimOpener, ClaimReason, RefundRequested, RequestedOutcome
from shared.contracts.logistics import DeliveryDeadlineMissed, DispatchDeadlineMissed
from shared.money import Money

from .conftest import StartEscrow
from .support import Escrow, timer


def usd(amount: int) -> Money:
    return Money(amount=amount, currency="USD")


async def test_cancelling_before_shipment_refunds_everything_and_after_shipment_is_refused(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    paid, shipped = await escrow.place(), await escrow.place()
    for order_id in (paid, shipped):
        await escrow.pay(order_id)
    await escrow.ship_and_deliver(shipped, delivered_after=timedelta(days=1))
    buyer = escrow.tokens.buyer("b-1")

    # When the buyer cancels the funded order, and then the shipped one
    cancelled = await escrow.service.call(
        "POST",
        f"/v1/orders/{paid}/cancel",
        json={"reason": "changed plans"},
        token=buyer,
        idempotency_key="c-1",
    )
    refused = await escrow.service.call(
        "POST", f"/v1/orders/{shipped}/cancel", json={"reason": "late"}, token=buyer
    )

    # Then the funded one is refunded in full from escrow, and the shipped one cannot be cancelled
    assert cancelled.status == 200, await cancelled.text()
    order = await cancelled.json()
    assert (order["status"], order["refunded"], order["held"]) == (
        "cancelled",
        order["paid"],
        usd(0).model_dump(),
    )
    assert refused.status == 409
    (refund,) = await escrow.service.published("escrow.refund_issued")
    assert (refund["cause"], refund["source"], refund["claim_id"]) == ("cancellation", "escrow", None)
    assert await escrow.ledger_breaches() == []


def refund_requested(order_id: str, claim_id: str, amount: Money, escrow: Escrow) -> RefundRequested:
    return RefundRequested(
        claim_id=claim_id,
        order_id=order_id,
        buyer_id="b-1",
        supplier_id="s-1",
        amount=amount,
        reason=ClaimReason.DEFECTIVE,
        requested_at=escrow.clock.now(),
    )


async def test_a_dispute_refund_is_applied_once_per_claim_and_answered_with_refund_issued(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place()
    await escrow.pay(order_id)
    await escrow.ship_and_deliver(order_id, delivered_after=timedelta(days=2))
    opened = ClaimOpened(
        claim_id="c-9",
        order_id=order_id,
        buyer_id="b-1",
        supplier_id="s-1",
        reason=ClaimReason.DEFECTIVE,
        requested_outcome=RequestedOutcome.PARTIAL_REFUND,
        amount=usd(50_000),
        opened_by=ClaimOpener.BUYER,
        source=None,
        opened_at=escrow.clock.now(),
    )
    await escrow.inject.publish(opened)
    await escrow.status_becomes(order_id, "frozen")

    # When disputes asks for the decided refund, and the command is sent twice
    for _ in range(2):
        await escrow.inject.publish(refund_requested(order_id, "c-9", usd(50_000), escrow))
    await escrow.status_becomes(order_id, "partially_refunded")

    # Then one refund is issued, carrying the claim id, and the rest is still held for release
    (refund,) = await escrow.service.published("escrow.refund_issued")
    assert (refund["claim_id"], refund["amount"], refund["source"]) == (
        "c-9",
        usd(50_000).model_dump(),
        "escrow",
    )
    order = await escrow.order(order_id)
    assert order["held"] == usd(214_900 - 50_000).model_dump()
    assert await escrow.ledger_breaches() == []


async def test_enterprise_buyers_are_compensated_automatically_when_delivery_is_late(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place("b-1", tier="enterprise")
    await escrow.pay(order_id, "b-1", tier="enterprise")
    order = await escrow.order(order_id)
    late_from = order["promise"]["delivery_late_from"]

    # When logistics reports the delivery deadline missed, the day after the promised date
    escrow.clock.advance(timedelta(days=40))
    await escrow.inject.publish(
        DeliveryDeadlineMissed(
            order_id=order_id,
            shipment_id="sh-1",
            buyer_id="b-1",
            supplier_id="s-1",
            guaranteed=False,
            promised_delivery_date=order["promise"]["promised_delivery_date"],
            delivery_late_from=late_from,
            detected_at=escrow.clock.now(),
        )
    )

    # Then the buyer is credited the capped amount without asking, once
    async def compensated() -> bool:
        return bool(await escrow.service.published("escrow.compensation_issued"))

    await eventually(compensated)
    (credit,) = await escrow.service.published("escrow.compensation_issued")
    assert (credit["amount"], credit["automatic"], credit["deadline"]) == (
        usd(10_000).model_dump(),
        True,
        "delivery",
    )
    claim = await escrow.service.call(
        "POST",
        f"/v1/orders/{order_id}/compensation-claims",
        json={"deadline": "delivery"},
        token=escrow.tokens.buyer("b-1", "enterprise"),
    )
    assert claim.status == 409
    assert await timer(escrow.service, "automatic-compensation").sweep() == 0
    assert await escrow.ledger_breaches() == []


async def test_standard_buyers_claim_compensation_once_within_thirty_days_of_the_promise(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    order_id, too_late = await escrow.place(), await escrow.place()
    for oid in (order_id, too_late):
        await escrow.pay(oid)
    order = await escrow.order(order_id)
    for oid in (order_id, too_late):
        await escrow.inject.publish(
            DispatchDeadlineMissed(
                order_id=oid,
                shipment_id=f"sh-{oid}",
                buyer_id="b-1",
                supplier_id="s-1",
                guaranteed=False,
                dispatch_deadline=order["promise"]["dispatch_deadline"],
                detected_at=escrow.clock.now(),
            )
        )
    escrow.clock.advance(timedelta(days=8))
    claim = {"deadline": "dispatch"}
    buyer = escrow.tokens.buyer("b-1")
    path = f"/v1/orders/{order_id}/compensation-claims"

    # When the buyer claims (the report may still be on its way: escrow's own promise shows it broken)
    first = await escrow.service.call("POST", path, json=claim, token=buyer, idempotency_key="k-1")
    replay = await escrow.service.call("POST", path, json=claim, token=buyer, idempotency_key="k-1")
    second = await escrow.service.call("POST", path, json=claim, token=buyer)

    # Then it is credited once; a second claim is refused
    assert (first.status, replay.status, second.status) == (201, 201, 409)
    assert (await first.json())["compensation"]["amount"] == usd(10_000).model_dump()

    # And a claim more than 30 days after the broken promise is refused
    escrow.clock.advance(timedelta(days=30))
    late = await escrow.service.call(
        "POST", f"/v1/orders/{too_late}/compensation-claims", json=claim, token=buyer
    )
    assert late.status == 409
    assert (await late.json())["type"].endswith("/compensation-refused")
    assert len(await escrow.service.published("escrow.compensation_issued")) == 1
    assert await escrow.ledger_breaches() == []


@pytest.mark.parametrize(("currency", "cap"), [("JPY", 15_000), ("KWD", 30_000)])
async def test_every_currency_is_compensated_through_the_one_compensation_route(
    start_escrow: StartEscrow, currency: str, cap: int
) -> None:
    # given a paid order in a zero- or three-decimal currency whose dispatch deadline passed
    escrow = await start_escrow()
    order_id = await escrow.place(currency=currency)
    await escrow.pay(order_id)
    escrow.clock.advance(timedelta(days=8))  # past the 7-day dispatch deadline, nothing dispatched
    path = f"/v1/orders/{order_id}/compensation-claims"
    claim = {"deadline": "dispatch"}

    # when the buyer claims, then the 201 carries the US$100 cap at the contract's rate, and money moved
    first = await escrow.service.call("POST", path, json=claim, token=escrow.tokens.buyer("b-1"))
    assert first.status == 201, await first.text()
    assert (await first.json())["compensation"]["amount"] == {"amount": cap, "currency": currency}
    (credit,) = await escrow.service.published("escrow.compensation_issued")
    assert credit["amount"] == {"amount": cap, "currency": currency}
    # and a second claim is a problem that says why
    again = await escrow.service.call("POST", path, json=claim, token=escrow.tokens.buyer("b-1"))
    problem = await again.json()
    assert (again.status, problem["type"]) == (409, "https://tradeguard.dev/problems/compensation-refused")
    assert "already_compensated" in problem["detail"]
    assert await escrow.ledger_breaches() == []
