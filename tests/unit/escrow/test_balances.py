"""Finance's balances: what each journal entry adds to what escrow holds, released, refunded and earned."""

from __future__ import annotations

import pytest

from services.escrow.domain import accounts
from services.escrow.domain.balances import Flows, entry_flows
from services.escrow.domain.journal import EntryKind, JournalEntry, Posting, correction_of
from services.escrow.domain.journal_entries import (
    compensation_entry,
    funding_entry,
    refund_from_escrow_entry,
    refund_from_guarantee_fund_entry,
    release_entry,
    split_release,
)
from shared.contracts.escrow import CompensationFunding

from .factories import POLICY, T0, money

ESCROW = accounts.order_escrow("o-1")


def released() -> JournalEntry:
    # $1,000.00 released: a $20.00 fee, $5.00 recovered from the supplier's debt, the rest paid out
    split = split_release(money(100_000), POLICY.platform_fee_bps, money(500))
    return release_entry(order_id="o-1", supplier_id="s-1", split=split, booked_at=T0)


def test_funding_adds_to_what_escrow_holds_and_nothing_else() -> None:
    entry = funding_entry(order_id="o-1", payment_id="p-1", amount=money(100_000), booked_at=T0)

    assert entry_flows(entry) == [Flows(currency="USD", held=100_000)]


def test_a_release_moves_the_gross_out_of_escrow_and_the_fee_to_the_platform() -> None:
    assert entry_flows(released()) == [Flows(currency="USD", held=-100_000, released=100_000, fees=2_000)]


def test_a_refund_from_escrow_leaves_escrow_and_counts_as_refunded() -> None:
    entry = refund_from_escrow_entry(order_id="o-1", refund_id="r-1", amount=money(30_000), booked_at=T0)

    assert entry_flows(entry) == [Flows(currency="USD", held=-30_000, refunded=30_000)]


def test_a_refund_after_release_is_refunded_without_touching_escrow() -> None:
    entry = refund_from_guarantee_fund_entry(
        order_id="o-1", supplier_id="s-1", refund_id="r-1", amount=money(30_000), booked_at=T0
    )

    assert entry_flows(entry) == [Flows(currency="USD", refunded=30_000)]


@pytest.mark.parametrize(
    ("funded_by", "fees"), [(CompensationFunding.GUARANTEE_FUND, 0), (CompensationFunding.PLATFORM, -10_000)]
)
def test_compensation_counts_the_buyers_credit_and_what_the_platform_paid_for_it(
    funded_by: CompensationFunding, fees: int
) -> None:
    entry = compensation_entry(
        order_id="o-1", buyer_id="b-1", amount=money(10_000), funded_by=funded_by, booked_at=T0
    )

    assert entry_flows(entry) == [Flows(currency="USD", compensated=10_000, fees=fees)]


def test_a_correction_moves_balances_back_but_not_the_money_that_left_by_kind() -> None:
    # Reversing a release puts the money back into escrow and takes the fee back; "released" counts the
    # releases booked, which the correction's own kind is not.
    reversal = correction_of(released(), entry_id="correction:1", booked_at=T0, memo="released in error")

    assert entry_flows(reversal) == [Flows(currency="USD", held=100_000, fees=-2_000)]


def test_an_entry_in_several_currencies_adds_to_each_currency_on_its_own() -> None:
    # Written around the model's builders (which book one currency): the flows still split per currency
    entry = JournalEntry(
        entry_id="funding:o-1",
        kind=EntryKind.FUNDING,
        order_id="o-1",
        booked_at=T0,
        postings=(
            Posting(account=accounts.PROVIDER_CLEARING, amount=money(-700, "USD")),
            Posting(account=ESCROW, amount=money(700, "USD")),
            Posting(account=accounts.PROVIDER_CLEARING, amount=money(-9_000, "JPY")),
            Posting(account=ESCROW, amount=money(9_000, "JPY")),
        ),
    )

    assert entry_flows(entry) == [Flows(currency="JPY", held=9_000), Flows(currency="USD", held=700)]


@pytest.mark.parametrize(
    ("kind", "account", "flows"),
    [
        (EntryKind.FUNDING, ESCROW, {"held": 300}),
        (EntryKind.RELEASE, accounts.PLATFORM_FEES, {"fees": 300}),
        (EntryKind.REFUND_FROM_ESCROW, accounts.PROVIDER_CLEARING, {"refunded": 300}),
        (EntryKind.COMPENSATION, accounts.buyer_credit("b-1"), {"compensated": 300}),
    ],
)
def test_every_posting_of_an_entry_counts_however_many_reach_one_kind_of_account(
    kind: EntryKind, account: str, flows: dict[str, int]
) -> None:
    # Written around the model's builders, which post once per account: two postings of $1 and $2 to the
    # same account, balanced by $3 from an account no balance counts
    entry = JournalEntry(
        entry_id="e-1",
        kind=kind,
        order_id="o-1",
        booked_at=T0,
        postings=(
            Posting(account=account, amount=money(100)),
            Posting(account=account, amount=money(200)),
            Posting(account=accounts.supplier_payable("s-1"), amount=money(-300)),
        ),
    )

    assert entry_flows(entry) == [Flows(currency="USD", **flows)]
