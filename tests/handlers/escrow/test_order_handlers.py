"""Escrow's service layer, rule by rule, with fakes: what a route, a consumer and a timer each rely on."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.escrow.domain.errors import NotOrderPartyError, TransitionNotAllowedError
from services.escrow.domain.order import Order
from services.escrow.handlers.ledger import check_books
from shared.contracts.disputes import (
    ClaimOpened,
    ClaimOpener,
    ClaimReason,
    ClaimWithdrawn,
    RefundRequested,
    RequestedOutcome,
)
from shared.contracts.escrow import OrderStatus
from shared.contracts.logistics import ShipmentDelivered, ShipmentDispatched
from shared.security.jwt import Principal
from tests.property.escrow.harness import EscrowHandlers, buyer, quoted

BUYER = buyer("standard")


async def placed(escrow: EscrowHandlers) -> Order:
    return await escrow.escrow.orders.place(quoted("USD", 1_000, "standard"), buyer=BUYER)


async def paid(escrow: EscrowHandlers) -> Order:
    order = await placed(escrow)
    intent = await escrow.escrow.payments.create_intent(order.order_id, BUYER)
    await escrow.deliver_webhook(escrow.webhook(intent.intent_id, order.order_id, intent.amount.model_dump()))
    return (await escrow.orders.get(order.order_id)).value


async def delivered(escrow: EscrowHandlers) -> Order:
    order = await paid(escrow)
    parties = {"order_id": order.order_id, "shipment_id": "sh", "buyer_id": BUYER.sub, "supplier_id": "s-1"}
    now = escrow.clock.now()
    await escrow.deliver(
        ShipmentDispatched(
            **parties,
            carrier="DHL",
            tracking_number="1",
            dispatched_at=now,
            dispatch_deadline=now,
            on_time=True,
        )
    )
    await escrow.deliver(
        ShipmentDelivered(**parties, delivered_at=now, promised_delivery_date=now.date(), on_time=True)
    )
    return (await escrow.orders.get(order.order_id)).value


async def test_placing_twice_with_one_quote_returns_the_first_order(escrow: EscrowHandlers) -> None:
    quote = quoted("USD", 1_000, "standard")
    first = await escrow.escrow.orders.place(quote, buyer=BUYER)
    again = await escrow.escrow.orders.place(quote, buyer=BUYER)
    assert again.order_id == first.order_id
    assert escrow.uow.types() == ["escrow.order_placed"]


async def test_a_refused_command_changes_nothing_and_announces_nothing(escrow: EscrowHandlers) -> None:
    order = await placed(escrow)
    supplier = Principal(sub=order.supplier_id, role="supplier")
    with pytest.raises(NotOrderPartyError):
        await escrow.escrow.release.confirm_receipt(order.order_id, supplier)
    assert (await escrow.orders.get(order.order_id)).value == order
    assert escrow.uow.types() == ["escrow.order_placed"]


async def test_a_payment_webhook_delivered_twice_funds_the_order_once(escrow: EscrowHandlers) -> None:
    order = await placed(escrow)
    intent = await escrow.escrow.payments.create_intent(order.order_id, BUYER)
    body = escrow.webhook(intent.intent_id, order.order_id, intent.amount.model_dump())
    await escrow.deliver_webhook(body)
    await escrow.deliver_webhook(body)
    assert (await escrow.orders.get(order.order_id)).value.status is OrderStatus.FUNDED
    assert escrow.uow.types().count("escrow.order_funded") == 1


async def test_a_delivery_reported_before_the_dispatch_is_refused_so_the_consumer_retries_it(
    escrow: EscrowHandlers,
) -> None:
    order = await paid(escrow)
    now = escrow.clock.now()
    with pytest.raises(TransitionNotAllowedError):
        await escrow.deliver(
            ShipmentDelivered(
                order_id=order.order_id,
                shipment_id="sh",
                buyer_id=BUYER.sub,
                supplier_id="s-1",
                delivered_at=now,
                promised_delivery_date=now.date(),
                on_time=True,
            )
        )
    assert (await escrow.orders.get(order.order_id)).value.delivered_at is None


async def test_confirming_receipt_releases_the_escrow_once_and_the_books_stay_proven(
    escrow: EscrowHandlers,
) -> None:
    order = await delivered(escrow)
    await escrow.escrow.release.confirm_receipt(order.order_id, BUYER)
    await escrow.escrow.release.confirm_receipt(order.order_id, BUYER)
    assert (await escrow.orders.get(order.order_id)).value.status is OrderStatus.COMPLETED
    assert escrow.uow.types().count("escrow.funds_released") == 1
    breaches, entries, _ = await check_books(escrow.escrow.books)
    assert breaches == []
    assert entries > 0


async def test_the_auto_confirm_timer_releases_only_once_the_window_has_passed(
    escrow: EscrowHandlers,
) -> None:
    order = await delivered(escrow)
    escrow.clock.advance(escrow.policy.auto_confirm_after - timedelta(seconds=1))
    await escrow.sweep_timers()
    assert (await escrow.orders.get(order.order_id)).value.status is OrderStatus.DELIVERED
    escrow.clock.advance(timedelta(seconds=1))
    await escrow.sweep_timers()
    assert (await escrow.orders.get(order.order_id)).value.status is OrderStatus.COMPLETED


async def test_a_decision_refund_delivered_twice_refunds_once(escrow: EscrowHandlers) -> None:
    order = await delivered(escrow)
    parties = {"order_id": order.order_id, "buyer_id": BUYER.sub, "supplier_id": "s-1", "claim_id": "c-1"}
    now = escrow.clock.now()
    await escrow.deliver(
        ClaimOpened(
            **parties,
            reason=ClaimReason.DEFECTIVE,
            requested_outcome=RequestedOutcome.PARTIAL_REFUND,
            amount=order.contract.terms.total,
            opened_by=ClaimOpener.BUYER,
            source=None,
            opened_at=now,
        )
    )
    refund = RefundRequested(
        **parties, amount=order.contract.terms.total, reason=ClaimReason.DEFECTIVE, requested_at=now
    )
    await escrow.deliver(refund)
    await escrow.deliver(refund)
    assert escrow.uow.types().count("escrow.refund_issued") == 1
    breaches, _, _ = await check_books(escrow.escrow.books)
    assert breaches == []


def _claim_opened(order: Order, claim_id: str, reason: ClaimReason, now: datetime) -> ClaimOpened:
    return ClaimOpened(
        claim_id=claim_id,
        order_id=order.order_id,
        buyer_id=order.buyer_id,
        supplier_id=order.supplier_id,
        reason=reason,
        requested_outcome=RequestedOutcome.FULL_REFUND,
        amount=order.contract.terms.total,
        opened_by=ClaimOpener.BUYER,
        source=None,
        opened_at=now,
    )


async def test_two_open_claims_block_release_until_both_have_ended(escrow: EscrowHandlers) -> None:
    # Given a delivered order on which the buyer opened two claims
    order = await delivered(escrow)
    now = escrow.clock.now()
    await escrow.deliver(_claim_opened(order, "c-1", ClaimReason.DEFECTIVE, now))
    await escrow.deliver(_claim_opened(order, "c-2", ClaimReason.QUANTITY_SHORT, now))
    parties = {"order_id": order.order_id, "buyer_id": order.buyer_id, "supplier_id": order.supplier_id}

    # When the first is withdrawn (delivered twice), the buyer cannot have the escrow released yet
    withdrawn = ClaimWithdrawn(**parties, claim_id="c-1", reason=ClaimReason.DEFECTIVE, withdrawn_at=now)
    await escrow.deliver(withdrawn)
    await escrow.deliver(withdrawn)
    assert (await escrow.orders.get(order.order_id)).value.status is OrderStatus.FROZEN
    with pytest.raises(TransitionNotAllowedError):
        await escrow.escrow.release.confirm_receipt(order.order_id, BUYER)

    # Then once the second ends too, the order resumes and its release goes through
    await escrow.deliver(
        ClaimWithdrawn(**parties, claim_id="c-2", reason=ClaimReason.QUANTITY_SHORT, withdrawn_at=now)
    )
    released = await escrow.escrow.release.confirm_receipt(order.order_id, BUYER)
    assert released.status is OrderStatus.COMPLETED
    assert escrow.uow.types().count("escrow.order_frozen") == 2
    assert escrow.uow.types().count("escrow.order_unfrozen") == 1
