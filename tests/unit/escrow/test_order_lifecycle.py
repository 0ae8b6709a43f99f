"""Placing, paying, shipping, delivering and cancelling a Trade Assurance order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.escrow.domain import accounts
from services.escrow.domain.claims import freeze_order
from services.escrow.domain.errors import (
    OrderAlreadyPaidError,
    PaymentMismatchError,
    QuoteRequiredError,
    TransitionNotAllowedError,
)
from services.escrow.domain.journal import EntryKind
from services.escrow.domain.lifecycle import (
    cancel_order,
    fund_order,
    place_order,
    record_delivery,
    record_shipment,
    start_production,
)
from services.escrow.domain.order import OrderChange
from shared.contracts import escrow as events
from shared.contracts.escrow import BuyerTier, OrderKind, OrderStatus, RefundSource
from shared.money import Money

from .factories import T0, funded, money, placed, shipped, terms


def test_order_is_placed_awaiting_payment_with_contract_version_one() -> None:
    change = place_order(
        order_id="o-1",
        kind=OrderKind.STANDARD,
        buyer_id="b-1",
        buyer_tier=BuyerTier.ENTERPRISE,
        supplier_id="s-1",
        terms=terms("USD"),
        now=T0,
    )

    assert change.order.status is OrderStatus.AWAITING_PAYMENT
    assert change.order.contract.version == 1
    assert change.order.buyer_tier is BuyerTier.ENTERPRISE
    (placed_event,) = change.events
    assert isinstance(placed_event, events.OrderPlaced)
    assert placed_event.total == money(214_900)
    assert change.entries == ()


def test_standard_and_sample_orders_need_a_quote() -> None:
    with pytest.raises(QuoteRequiredError):
        place_order(
            order_id="o-1",
            kind=OrderKind.SAMPLE,
            buyer_id="b-1",
            buyer_tier=BuyerTier.STANDARD,
            supplier_id="s-1",
            terms=terms("USD", quote_id=None),
            now=T0,
        )


def test_guaranteed_order_is_placed_at_the_fixed_price_without_a_quote() -> None:
    change = place_order(
        order_id="o-1",
        kind=OrderKind.GUARANTEED,
        buyer_id="b-1",
        buyer_tier=BuyerTier.STANDARD,
        supplier_id="s-1",
        terms=terms("USD", quote_id=None),
        now=T0,
    )

    (placed_event,) = change.events
    assert isinstance(placed_event, events.OrderPlaced)
    assert placed_event.guaranteed


@pytest.mark.parametrize(("currency", "total"), [("JPY", 133_000), ("USD", 214_900), ("KWD", 325_000)])
def test_funding_moves_the_captured_payment_into_the_order_escrow(currency: str, total: int) -> None:
    order = placed(currency)

    change = fund_order(order, payment_id="pay-1", amount=money(total, currency), now=T0)

    assert change.order.status is OrderStatus.FUNDED
    assert change.order.held == money(total, currency)
    (entry,) = change.entries
    assert entry.kind is EntryKind.FUNDING
    assert {p.account: p.amount.amount for p in entry.postings} == {
        accounts.PROVIDER_CLEARING: -total,
        accounts.order_escrow("o-1"): total,
    }


def test_funding_fixes_the_delivery_promise_in_the_destination_time_zone() -> None:
    # Given funding at 22:00 UTC, which is already the next day nowhere but still the same day in New York
    order = placed("USD")
    funded_at = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)

    change = fund_order(order, payment_id="pay-1", amount=money(214_900), now=funded_at)

    promise = change.order.promise
    assert promise is not None
    assert promise.dispatch_deadline == funded_at + timedelta(days=3)
    assert promise.promised_delivery_date == date(2026, 3, 15)
    assert promise.delivery_late_from == datetime(2026, 3, 16, 4, 0, tzinfo=UTC)  # EDT midnight
    (funded_event,) = change.events
    assert isinstance(funded_event, events.OrderFunded)
    assert funded_event.dispatch_deadline == promise.dispatch_deadline
    assert funded_event.protection.money_back_window_days == 30


@pytest.mark.parametrize(
    ("tier", "money_back_days"),
    [(BuyerTier.STANDARD, 30), (BuyerTier.ENTERPRISE, 60), (BuyerTier.ENTERPRISE_PRO, 60)],
)
def test_funding_announces_the_windows_the_contract_froze_for_the_buyers_tier(
    tier: BuyerTier, money_back_days: int
) -> None:
    # Given an order placed under the default policy
    order = placed("USD", tier)
    # when it is funded (funding reads no policy: a later change of it cannot reach a placed order)
    change = fund_order(order, payment_id="pay-1", amount=money(214_900), now=T0)

    # Then disputes learns the windows the contract recorded, not today's policy
    (funded_event,) = change.events
    assert isinstance(funded_event, events.OrderFunded)
    assert funded_event.protection == order.contract.terms.protection
    assert funded_event.protection.money_back_window_days == money_back_days
    assert funded_event.protection.compensation_claim_window_days == 30


def test_duplicate_payment_webhook_changes_nothing() -> None:
    order = funded("USD")

    change = fund_order(order, payment_id="pay-1", amount=money(214_900), now=T0)

    assert not change.changed
    assert change.order == order
    assert change.events == ()
    assert change.entries == ()


def test_a_second_payment_for_a_funded_order_is_refused() -> None:
    with pytest.raises(OrderAlreadyPaidError):
        fund_order(funded("USD"), payment_id="pay-2", amount=money(214_900), now=T0)


@pytest.mark.parametrize("amount", [money(214_899), money(214_900, "CAD")])
def test_payment_must_match_the_contract_total(amount: Money) -> None:
    with pytest.raises(PaymentMismatchError):
        fund_order(placed("USD"), payment_id="pay-1", amount=amount, now=T0)


def test_every_transition_increments_the_version() -> None:
    order = placed("USD")

    after = start_production(funded("USD")).order

    assert order.version == 1
    assert after.version == 3


def test_an_order_cannot_ship_before_it_is_paid() -> None:
    with pytest.raises(TransitionNotAllowedError):
        record_shipment(placed("USD"), T0)


def test_delivery_reported_before_dispatch_is_refused_for_a_later_retry() -> None:
    with pytest.raises(TransitionNotAllowedError):
        record_delivery(funded("USD"), T0)


def test_repeated_shipment_report_changes_nothing() -> None:
    order = shipped("USD")

    assert not record_shipment(order, T0 + timedelta(days=5)).changed


def test_cancelling_an_unpaid_order_refunds_nothing() -> None:
    change = cancel_order(placed("USD"), reason="buyer changed mind", now=T0)

    assert change.order.status is OrderStatus.CANCELLED
    assert change.entries == ()
    (cancelled,) = change.events
    assert isinstance(cancelled, events.OrderCancelled)
    assert cancelled.refunded == money(0)


@pytest.mark.parametrize("currency", ["JPY", "USD", "KWD"])
def test_cancelling_before_shipment_refunds_everything_from_escrow(currency: str) -> None:
    order = start_production(funded(currency)).order

    change = cancel_order(order, reason="supplier out of stock", now=T0 + timedelta(days=1))

    assert change.order.status is OrderStatus.CANCELLED
    assert change.order.held.amount == 0
    assert change.order.refunded_from(RefundSource.ESCROW) == order.paid
    assert [type(e) for e in change.events] == [events.OrderCancelled, events.RefundIssued]
    (entry,) = change.entries
    assert entry.kind is EntryKind.REFUND_FROM_ESCROW


def test_a_payment_captured_after_cancellation_is_refunded_at_once_and_never_funds_the_order() -> None:
    cancelled = cancel_order(placed("USD"), reason="buyer changed mind", now=T0).order
    total = cancelled.contract.terms.total

    change = fund_order(cancelled, payment_id="pay-late", amount=total, now=T0)

    assert change.order.status is OrderStatus.CANCELLED
    assert change.order.paid == total
    assert change.order.refunded_from(RefundSource.ESCROW) == total
    assert change.order.held.amount == 0
    (refunded,) = change.events  # no OrderFunded: logistics must not open a shipment
    assert isinstance(refunded, events.RefundIssued)
    assert refunded.after_cancellation
    assert refunded.amount == total
    assert [entry.kind for entry in change.entries] == [EntryKind.FUNDING, EntryKind.REFUND_FROM_ESCROW]
    # The same webhook again changes nothing.
    assert not fund_order(change.order, payment_id="pay-late", amount=total, now=T0).changed


def test_an_order_cannot_be_cancelled_after_shipment() -> None:
    with pytest.raises(TransitionNotAllowedError):
        cancel_order(shipped("USD"), reason="too late", now=T0)


def test_cancelling_twice_changes_nothing() -> None:
    cancelled = cancel_order(funded("USD"), reason="r", now=T0).order

    assert not cancel_order(cancelled, reason="r", now=T0).changed


def test_funding_announces_what_logistics_needs_to_ship_and_the_money_it_holds() -> None:
    # given a Guaranteed order on a route, shipped from China: $19.99 × 100 + $150.00
    order = placed("USD", kind=OrderKind.GUARANTEED)
    routed = order.updated(
        contracts=(
            order.contract.model_copy(
                update={"terms": terms(quote_id=None, route_id="r-1", origin_country="CN")}
            ),
        )
    )

    change = fund_order(routed, payment_id="pay-1", amount=money(214_900), now=T0)

    (funded_event,) = change.events
    assert isinstance(funded_event, events.OrderFunded)
    assert (funded_event.goods_total, funded_event.shipping) == (money(199_900), money(15_000))
    assert (funded_event.route_id, funded_event.origin_country) == ("r-1", "CN")
    assert funded_event.guaranteed
    assert change.order.funded_at == T0


def test_a_standard_order_is_announced_as_not_guaranteed() -> None:
    (funded_event,) = fund_order(placed("USD"), payment_id="pay-1", amount=money(214_900), now=T0).events
    assert isinstance(funded_event, events.OrderFunded)
    assert not funded_event.guaranteed


def test_the_funding_entry_names_the_payment_it_books() -> None:
    (entry,) = fund_order(placed("USD"), payment_id="pay-1", amount=money(214_900), now=T0).entries
    cancelled = cancel_order(placed("USD"), reason="r", now=T0).order
    late = fund_order(cancelled, payment_id="pay-late", amount=money(214_900), now=T0).entries

    assert entry.memo == "payment pay-1"
    assert late[0].memo == "payment pay-late"


@pytest.mark.parametrize("paid", [False, True])
def test_a_cancelled_order_records_when_it_was_cancelled(paid: bool) -> None:
    order = funded("USD") if paid else placed("USD")
    at = T0 + timedelta(days=1)

    assert cancel_order(order, reason="r", now=at).order.cancelled_at == at


def test_repeated_production_and_delivery_reports_change_nothing() -> None:
    producing = start_production(funded("USD")).order
    delivered = record_delivery(shipped("USD"), T0 + timedelta(days=9)).order

    assert start_production(producing) == OrderChange.unchanged(producing)
    assert record_delivery(delivered, T0 + timedelta(days=10)) == OrderChange.unchanged(delivered)


def test_a_frozen_order_never_moves_its_resume_state_along_an_edge_the_state_machine_lacks() -> None:
    # given a stored order frozen while funded, that somehow already records its shipment (written
    # around the model): a delivery would skip SHIPPED
    frozen = freeze_order(funded("USD"), "c-1", T0).order
    skipping = frozen.updated(shipped_at=T0)

    with pytest.raises(TransitionNotAllowedError):
        record_delivery(skipping, T0 + timedelta(days=1))
