"""The order read model's storage rules, against a real MongoDB-wire server."""

from __future__ import annotations

from datetime import UTC, datetime

from pymongo.asynchronous.database import AsyncDatabase

from services.disputes.adapters.orders import OrderRepository
from services.disputes.domain.orders import OrderView, record_order_funded
from shared.contracts.escrow import BuyerTier
from shared.money import Money
from shared.mongo import Document, run_in_transaction


def _view(order_id: str, amount: int) -> OrderView:
    return record_order_funded(
        order_id=order_id,
        buyer_id="b-1",
        supplier_id="s-1",
        buyer_tier=BuyerTier.STANDARD,
        paid=Money(amount=amount, currency="USD"),
        funded_at=datetime(2026, 12, 1, tzinfo=UTC),
        protection_window_days=30,
    )


async def test_funding_opens_the_view_once_and_a_second_report_changes_only_escrows_words(
    db: AsyncDatabase[Document],
) -> None:
    orders = OrderRepository(db)
    client = db.client
    first, second = _view("o-1", 1_000), _view("o-1", 9_999)
    # Given escrow's words of the placement, recorded before the funding
    await run_in_transaction(
        client, lambda s: orders.record_contract("o-1", "placed", {"total": "$10.00"}, session=s)
    )

    # When the funding is reported, and then reported again with other words
    await run_in_transaction(client, lambda s: orders.open_view(first, ("funded", {"n": 1}), session=s))
    await run_in_transaction(client, lambda s: orders.open_view(second, ("funded", {"n": 2}), session=s))

    # Then the first report's view stands at version 1, with the placement kept and the latest funding words
    record = await orders.get("o-1")
    assert record is not None
    assert (record.view, record.version) == (first, 1)
    assert record.contract == {"placed": {"total": "$10.00"}, "funded": {"n": 2}}
    # and an order nothing was known of opens with its funding alone
    await run_in_transaction(client, lambda s: orders.open_view(_view("o-2", 5), ("funded", {}), session=s))
    fresh = await orders.get("o-2")
    assert fresh is not None
    assert (fresh.view, fresh.version, fresh.contract) == (_view("o-2", 5), 1, {"funded": {}})


async def test_the_first_report_of_a_delivery_counts_and_every_report_joins_the_tracking_history(
    db: AsyncDatabase[Document],
) -> None:
    orders = OrderRepository(db)
    client = db.client
    delivered, reported_again = datetime(2026, 12, 3, tzinfo=UTC), datetime(2026, 12, 9, tzinfo=UTC)

    async def note(order_id: str, at: datetime, n: int) -> bool:
        return await run_in_transaction(
            client,
            lambda s: orders.note_first(order_id, "delivered_at", at, tracking={"n": n}, session=s),
        )

    # Given an order's view, opened by its funding
    await run_in_transaction(
        client, lambda s: orders.open_view(_view("o-1", 1_000), ("funded", {}), session=s)
    )

    # When its delivery is reported, then reported again later (a late copy)
    assert await note("o-1", delivered, 1)
    assert await note("o-1", reported_again, 2)

    # Then the first date stands (it starts the protection window), the version moved once, and both
    # reports are in the tracking history, in order
    record = await orders.get("o-1")
    assert record is not None
    assert record.view == _view("o-1", 1_000).model_copy(update={"delivered_at": delivered})
    assert record.version == 2
    assert record.tracking == [{"n": 1}, {"n": 2}]
    # and an order whose funding has not arrived is not noted: nothing is written, the caller retries
    assert not await note("o-2", delivered, 1)
    assert await orders.get("o-2") is None
