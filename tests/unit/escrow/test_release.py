"""Release of escrow to the supplier, on confirmation of receipt or by the auto-confirm timer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.escrow.domain import accounts
from services.escrow.domain.claims import freeze_order
from services.escrow.domain.errors import (
    AutoConfirmNotDueError,
    NotOrderBuyerError,
    TransitionNotAllowedError,
)
from services.escrow.domain.journal import EntryKind
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.release import auto_confirm, auto_confirm_due_at, confirm_receipt
from shared.contracts import escrow as events
from shared.contracts.escrow import OrderStatus, ReceiptConfirmation

from .factories import DELIVERED_AT, POLICY, delivered, funded, money, shipped

NOW = DELIVERED_AT + timedelta(days=1)


@pytest.mark.parametrize(
    ("currency", "paid", "fee"),
    [
        ("JPY", 133_000, 2_660),  # ¥133,000 × 2% = ¥2,660
        ("USD", 214_900, 4_298),  # $2,149.00 × 2% = $42.98
        ("KWD", 325_000, 6_500),  # 325.000 KWD × 2% = 6.500 KWD
    ],
)
def test_release_pays_supplier_minus_platform_fee_in_one_entry(currency: str, paid: int, fee: int) -> None:
    order = delivered(currency)

    change = confirm_receipt(
        order, buyer_id="b-1", now=NOW, policy=POLICY, owed_by_supplier=money(0, currency)
    )

    assert change.order.status is OrderStatus.COMPLETED
    assert change.order.held.amount == 0
    (entry,) = change.entries
    assert entry.kind is EntryKind.RELEASE
    assert {p.account: p.amount.amount for p in entry.postings} == {
        accounts.order_escrow("o-1"): -paid,
        accounts.supplier_payable("s-1"): paid - fee,
        accounts.PLATFORM_FEES: fee,
    }


def test_platform_fee_rounds_half_up_to_the_minor_unit() -> None:
    # Given a fee of 250 bps on 214 900 cents = 5 372.5 cents
    policy = EscrowPolicy(platform_fee_bps=250)

    change = confirm_receipt(
        delivered("USD"), buyer_id="b-1", now=NOW, policy=policy, owed_by_supplier=money(0)
    )

    released = change.events[1]
    assert isinstance(released, events.FundsReleased)
    assert released.platform_fee == money(5_373)
    assert released.supplier_payout == money(214_900 - 5_373)


def test_release_recovers_the_suppliers_open_receivable_from_its_payout() -> None:
    # Given the supplier owes $500.00 from an earlier refund after release
    change = confirm_receipt(
        delivered("USD"), buyer_id="b-1", now=NOW, policy=POLICY, owed_by_supplier=money(50_000)
    )

    (entry,) = change.entries
    postings = {p.account: p.amount.amount for p in entry.postings}
    assert postings[accounts.supplier_receivable("s-1")] == 50_000
    assert postings[accounts.supplier_payable("s-1")] == 214_900 - 4_298 - 50_000


def test_recovery_never_takes_more_than_the_payout() -> None:
    change = confirm_receipt(
        delivered("USD"), buyer_id="b-1", now=NOW, policy=POLICY, owed_by_supplier=money(1_000_000)
    )

    released = change.events[1]
    assert isinstance(released, events.FundsReleased)
    assert released.recovered_receivable == money(214_900 - 4_298)
    assert released.supplier_payout == money(0)


def test_confirmation_announces_receipt_and_release() -> None:
    change = confirm_receipt(
        delivered("USD"), buyer_id="b-1", now=NOW, policy=POLICY, owed_by_supplier=money(0)
    )

    confirmed, released = change.events
    assert isinstance(confirmed, events.ReceiptConfirmed)
    assert confirmed.confirmed_by is ReceiptConfirmation.BUYER
    assert isinstance(released, events.FundsReleased)
    assert released.released == money(214_900)


def test_only_the_orders_buyer_confirms_receipt() -> None:
    with pytest.raises(NotOrderBuyerError):
        confirm_receipt(delivered("USD"), buyer_id="b-2", now=NOW, policy=POLICY, owed_by_supplier=money(0))


def test_receipt_of_a_shipped_order_counts_as_its_delivery() -> None:
    change = confirm_receipt(
        shipped("USD"), buyer_id="b-1", now=NOW, policy=POLICY, owed_by_supplier=money(0)
    )

    assert change.order.delivered_at == NOW


def test_receipt_cannot_be_confirmed_before_shipment() -> None:
    with pytest.raises(TransitionNotAllowedError):
        confirm_receipt(funded("USD"), buyer_id="b-1", now=NOW, policy=POLICY, owed_by_supplier=money(0))


def test_confirming_twice_releases_once() -> None:
    completed = confirm_receipt(
        delivered("USD"), buyer_id="b-1", now=NOW, policy=POLICY, owed_by_supplier=money(0)
    ).order

    again = confirm_receipt(completed, buyer_id="b-1", now=NOW, policy=POLICY, owed_by_supplier=money(0))

    assert not again.changed
    assert again.entries == ()


def test_auto_confirm_is_due_auto_confirm_days_after_delivery() -> None:
    assert auto_confirm_due_at(delivered("USD"), POLICY) == DELIVERED_AT + timedelta(days=14)
    assert auto_confirm_due_at(
        delivered("USD"), EscrowPolicy(auto_confirm_days=7)
    ) == DELIVERED_AT + timedelta(days=7)


def test_auto_confirm_releases_once_due() -> None:
    due = DELIVERED_AT + timedelta(days=14)

    change = auto_confirm(delivered("USD"), now=due, policy=POLICY, owed_by_supplier=money(0))

    assert change.order.status is OrderStatus.COMPLETED
    confirmed = change.events[0]
    assert isinstance(confirmed, events.ReceiptConfirmed)
    assert confirmed.confirmed_by is ReceiptConfirmation.AUTOMATIC


def test_auto_confirm_before_it_is_due_is_refused() -> None:
    with pytest.raises(AutoConfirmNotDueError):
        auto_confirm(
            delivered("USD"), now=DELIVERED_AT + timedelta(days=13), policy=POLICY, owed_by_supplier=money(0)
        )


def test_no_auto_confirm_while_a_claim_is_open() -> None:
    frozen = freeze_order(delivered("USD"), "c-1", NOW).order

    assert auto_confirm_due_at(frozen, POLICY) is None
    with pytest.raises(AutoConfirmNotDueError):
        auto_confirm(frozen, now=NOW + timedelta(days=30), policy=POLICY, owed_by_supplier=money(0))


def test_no_release_by_the_buyer_while_a_claim_is_open() -> None:
    frozen = freeze_order(delivered("USD"), "c-1", NOW).order

    with pytest.raises(TransitionNotAllowedError):
        confirm_receipt(frozen, buyer_id="b-1", now=NOW, policy=POLICY, owed_by_supplier=money(0))


def test_timer_landing_after_the_buyer_confirmed_changes_nothing() -> None:
    due = DELIVERED_AT + timedelta(days=14)
    completed = confirm_receipt(
        delivered("USD"), buyer_id="b-1", now=due, policy=POLICY, owed_by_supplier=money(0)
    ).order

    assert not auto_confirm(completed, now=due, policy=POLICY, owed_by_supplier=money(0)).changed
