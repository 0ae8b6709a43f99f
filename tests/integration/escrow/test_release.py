"""Release: on the buyer's confirmation or 14 days after delivery, never while frozen, exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from deploy.local.polling import eventually
from services.escrow.adapters.journal import RECEIVABLES, Journal, receivable_id
from services.escrow.adapters.orders import ORDERS, OrderRepository
from services.escrow.adapters.release_basis import ReleaseBasisReader
from services.escrow.domain.policy import EscrowPolicy
from shared.contracts.disputes import ClaimOpened, ClaimOpener, ClaimReason, ClaimWithdrawn, RequestedOutcome
from shared.money import Money

from .conftest import StartEscrow
from .support import Escrow, timer

# Gross, 2% fee rounded half-up in minor units: 100 × price + shipping.
RELEASES = {"USD": (214_900, 4_298), "JPY": (133_000, 2_660), "KWD": (325_000, 6_500)}


@pytest.mark.parametrize("currency", ["USD", "JPY", "KWD"])
async def test_only_the_buyer_confirms_receipt_and_the_supplier_is_paid_less_the_fee(
    start_escrow: StartEscrow, currency: str
) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place(currency=currency)
    await escrow.pay(order_id)
    await escrow.ship_and_deliver(order_id, delivered_after=timedelta(days=3))
    path = f"/v1/orders/{order_id}/confirm-receipt"

    # When the supplier (or another buyer) tries to confirm receipt, it is refused
    assert (await escrow.service.call("POST", path, token=escrow.tokens.supplier("s-1"))).status == 403
    assert (await escrow.service.call("POST", path, token=escrow.tokens.buyer("b-2"))).status == 404

    # When the buyer confirms, twice
    first = await escrow.service.call("POST", path, token=escrow.tokens.buyer("b-1"))
    again = await escrow.service.call("POST", path, token=escrow.tokens.buyer("b-1"))

    # Then the order completes once: supplier payout = gross - fee, in one journal entry
    assert (first.status, again.status) == (200, 200)
    assert (await first.json())["status"] == "completed"
    gross, fee = RELEASES[currency]
    (released,) = await escrow.service.published("escrow.funds_released")
    assert released["released"] == {"amount": gross, "currency": currency}
    assert released["platform_fee"] == {"amount": fee, "currency": currency}
    assert released["supplier_payout"] == {"amount": gross - fee, "currency": currency}
    assert len(await escrow.service.published("escrow.receipt_confirmed")) == 1
    assert await escrow.ledger_breaches() == []


async def claim_opened(escrow: Escrow, order_id: str, claim_id: str) -> ClaimOpened:
    return ClaimOpened(
        claim_id=claim_id,
        order_id=order_id,
        buyer_id="b-1",
        supplier_id="s-1",
        reason=ClaimReason.DEFECTIVE,
        requested_outcome=RequestedOutcome.PARTIAL_REFUND,
        amount=Money(amount=50_000, currency="USD"),
        opened_by=ClaimOpener.BUYER,
        source=None,
        opened_at=escrow.clock.now(),
    )


async def test_auto_confirm_releases_fourteen_days_after_delivery_but_not_while_a_claim_is_open(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    order_id = await escrow.place()
    await escrow.pay(order_id)
    delivered_at = await escrow.ship_and_deliver(order_id, delivered_after=timedelta(days=2))
    auto_confirm = timer(escrow.service, "auto-confirm")
    order = await escrow.order(order_id)
    assert datetime.fromisoformat(order["auto_confirm_at"]) == delivered_at + timedelta(days=14)

    # Given a claim opened on day 3 after delivery
    escrow.clock.advance(timedelta(days=5))
    await escrow.inject.publish(await claim_opened(escrow, order_id, "c-1"))
    await escrow.status_becomes(order_id, "frozen")

    # When 14 days pass, nothing is released while the claim is open
    escrow.clock.advance(timedelta(days=15))
    await auto_confirm.sweep()
    assert (await escrow.order(order_id))["status"] == "frozen"

    # When the buyer withdraws the claim, the order resumes and the due timer releases it
    await escrow.inject.publish(
        ClaimWithdrawn(
            claim_id="c-1",
            order_id=order_id,
            buyer_id="b-1",
            supplier_id="s-1",
            reason=ClaimReason.DEFECTIVE,
            withdrawn_at=escrow.clock.now(),
        )
    )
    await escrow.status_becomes(order_id, "delivered")
    await auto_confirm.sweep()
    order = await escrow.order(order_id)
    assert order["status"] == "completed"
    assert order["release"]["confirmed_by"] == "automatic"
    assert len(await escrow.service.published("escrow.funds_released")) == 1
    assert await escrow.ledger_breaches() == []


def claim_withdrawn(escrow: Escrow, order_id: str, claim_id: str) -> ClaimWithdrawn:
    return ClaimWithdrawn(
        claim_id=claim_id,
        order_id=order_id,
        buyer_id="b-1",
        supplier_id="s-1",
        reason=ClaimReason.DEFECTIVE,
        withdrawn_at=escrow.clock.now(),
    )


async def test_release_stays_blocked_until_both_open_claims_of_the_order_have_ended(
    start_escrow: StartEscrow,
) -> None:
    # Given a delivered order on which two claims were opened
    escrow = await start_escrow()
    order_id = await escrow.place()
    await escrow.pay(order_id)
    await escrow.ship_and_deliver(order_id, delivered_after=timedelta(days=2))
    auto_confirm = timer(escrow.service, "auto-confirm")
    escrow.clock.advance(timedelta(days=3))
    await escrow.inject.publish(await claim_opened(escrow, order_id, "c-1"))
    await escrow.inject.publish(await claim_opened(escrow, order_id, "c-2"))

    async def both_open() -> bool:
        return bool((await escrow.order(order_id))["open_claims"] == ["c-1", "c-2"])

    await eventually(both_open)

    # When the first is withdrawn and the auto-confirm date passes, nothing is released
    await escrow.inject.publish(claim_withdrawn(escrow, order_id, "c-1"))

    async def one_open() -> bool:
        return bool((await escrow.order(order_id))["open_claims"] == ["c-2"])

    await eventually(one_open)
    escrow.clock.advance(timedelta(days=15))
    await auto_confirm.sweep()
    assert (await escrow.order(order_id))["status"] == "frozen"

    # Then the end of the second resumes the order, and the due timer releases it once
    await escrow.inject.publish(claim_withdrawn(escrow, order_id, "c-2"))
    await escrow.status_becomes(order_id, "delivered")
    await auto_confirm.sweep()
    assert (await escrow.order(order_id))["status"] == "completed"
    assert len(await escrow.service.published("escrow.funds_released")) == 1
    assert await escrow.ledger_breaches() == []


async def test_the_timer_and_the_buyer_confirming_at_the_same_moment_release_once(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    order_ids = [await escrow.place() for _ in range(3)]
    for order_id in order_ids:
        await escrow.pay(order_id)
        await escrow.ship_and_deliver(order_id, delivered_after=timedelta(days=1))
    escrow.clock.advance(timedelta(days=15, hours=1))
    auto_confirm = timer(escrow.service, "auto-confirm")

    # When the auto-confirm timer and the buyer's confirmation land together on every order
    buyer = escrow.tokens.buyer("b-1")
    confirmations = [
        escrow.service.call("POST", f"/v1/orders/{oid}/confirm-receipt", token=buyer) for oid in order_ids
    ]
    sweep = asyncio.create_task(auto_confirm.sweep())
    responses = await asyncio.gather(*confirmations)
    await sweep

    # Then each order is released exactly once, by whichever came first
    assert all(response.status == 200 for response in responses)
    released = await escrow.service.published("escrow.funds_released")
    assert sorted(event["order_id"] for event in released) == sorted(order_ids)
    assert await escrow.ledger_breaches() == []


async def test_auto_confirm_date_follows_configuration(start_escrow: StartEscrow) -> None:
    escrow = await start_escrow(policy=EscrowPolicy(auto_confirm_days=3))
    order_id = await escrow.place()
    await escrow.pay(order_id)
    delivered_at = await escrow.ship_and_deliver(order_id, delivered_after=timedelta(hours=5))
    auto_at = datetime.fromisoformat((await escrow.order(order_id))["auto_confirm_at"])
    assert auto_at.astimezone(UTC) == delivered_at + timedelta(days=3)


async def test_a_release_reads_what_the_supplier_owes_with_the_order_also_when_its_fields_are_missing(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    db = escrow.service.platform.db
    order_id = await escrow.place(currency="JPY")
    # Given the supplier owes the guarantee fund ¥700 (and other debts of its, or of other suppliers)
    await db[RECEIVABLES].insert_many(
        [
            {"_id": receivable_id("s-1", "JPY"), "owed": 700},
            {"_id": receivable_id("s-1", "USD"), "owed": 5},
            {"_id": receivable_id("s-2", "JPY"), "owed": 9},
        ]
    )
    basis = ReleaseBasisReader(db, OrderRepository(db, EscrowPolicy()), Journal(db))

    async def owed() -> Money:
        async with db.client.start_session() as session:
            stored, debt = await basis.of_order(order_id, session=session)
        assert stored.value.order_id == order_id
        return debt

    # Then the order is read with its supplier's debt in its currency, in one read
    assert await owed() == Money(amount=700, currency="JPY")
    # and an order document without the query fields the join uses still gets it, read on its own
    await db[ORDERS].update_one({"_id": order_id}, {"$unset": {"supplier_id": "", "currency": ""}})
    assert await owed() == Money(amount=700, currency="JPY")
