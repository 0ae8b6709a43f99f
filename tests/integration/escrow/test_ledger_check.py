"""GET /v1/ledger/check proves the books for finance ops, and lists any breach written around the rules."""

from __future__ import annotations

from services.escrow.adapters.journal import JOURNAL
from services.escrow.domain.journal_entries import release_entry, split_release
from shared.money import Money

from .conftest import StartEscrow


async def test_only_finance_ops_check_the_ledger(start_escrow: StartEscrow) -> None:
    escrow = await start_escrow()
    for token in (escrow.tokens.buyer("b-1"), escrow.tokens.ops("m-1", "ops:mediator")):
        assert (await escrow.service.call("GET", "/v1/ledger/check", token=token)).status == 403


async def test_the_ledger_check_lists_a_double_release_booked_around_the_rules(
    start_escrow: StartEscrow,
) -> None:
    escrow = await start_escrow()
    orders = [await escrow.place(currency=currency) for currency in ("JPY", "USD", "KWD")]
    for order_id in orders:
        await escrow.pay(order_id)
    assert await escrow.ledger_breaches() == []

    # Given someone books a release straight into the journal, bypassing the order
    usd_order = orders[1]
    split = split_release(Money(amount=214_900, currency="USD"), 200, Money.zero("USD"))
    rogue = release_entry(order_id=usd_order, supplier_id="s-1", split=split, booked_at=escrow.clock.now())
    journal = escrow.service.platform.db[JOURNAL]
    await journal.insert_one(
        {
            "_id": "rogue",
            "order_id": usd_order,
            "booked_at": rogue.booked_at,
            "entry": rogue.model_dump(mode="json"),
        }
    )

    # Then the check names the breach on that order, and only there
    breaches = await escrow.ledger_breaches()
    assert {(b["code"], b["order_id"]) for b in breaches} == {("ledger_disagrees_with_order", usd_order)}
