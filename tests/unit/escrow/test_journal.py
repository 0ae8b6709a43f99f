"""The journal refuses unbalanced entries; corrections are new entries that reverse old ones."""

from __future__ import annotations

import pytest

from services.escrow.domain import accounts
from services.escrow.domain.errors import InvalidJournalEntryError, UnbalancedEntryError
from services.escrow.domain.journal import (
    EntryKind,
    JournalEntry,
    Posting,
    balance,
    correction_of,
    net_by_currency,
)
from services.escrow.domain.journal_entries import (
    funding_entry,
    owed_by_supplier,
    release_entry,
    split_release,
)

from .factories import T0, money


def posting(account: str, amount: int, currency: str = "USD") -> Posting:
    return Posting(account=account, amount=money(amount, currency))


def entry(*postings: Posting) -> JournalEntry:
    return JournalEntry(
        entry_id="e-1", kind=EntryKind.FUNDING, order_id="o-1", booked_at=T0, postings=postings
    )


def test_an_entry_whose_postings_do_not_sum_to_zero_is_refused() -> None:
    with pytest.raises(UnbalancedEntryError):
        entry(posting(accounts.PROVIDER_CLEARING, -100), posting(accounts.order_escrow("o-1"), 99))


def test_an_entry_must_balance_in_every_currency_separately() -> None:
    with pytest.raises(UnbalancedEntryError):
        entry(
            posting(accounts.PROVIDER_CLEARING, -100, "USD"),
            posting(accounts.order_escrow("o-1"), 100, "JPY"),
        )


def test_an_entry_needs_two_non_zero_postings() -> None:
    with pytest.raises(InvalidJournalEntryError):
        entry(posting(accounts.PROVIDER_CLEARING, 0), posting(accounts.order_escrow("o-1"), 0))
    with pytest.raises(InvalidJournalEntryError):
        entry()


def test_entries_are_immutable() -> None:
    booked = funding_entry(order_id="o-1", payment_id="p", amount=money(500), booked_at=T0)

    with pytest.raises(ValueError, match="frozen"):
        booked.order_id = "o-2"  # type: ignore[misc]


def test_accounts_are_well_formed() -> None:
    assert accounts.order_escrow("o-1") == "order_escrow:o-1"
    assert accounts.account_kind("supplier_payable:s-1") is accounts.AccountKind.SUPPLIER_PAYABLE
    with pytest.raises(ValueError, match="malformed"):
        accounts.account_kind("order_escrow")
    with pytest.raises(ValueError, match="malformed"):
        accounts.account_kind("platform_fees:x")
    with pytest.raises(ValueError, match="invalid owner"):
        accounts.order_escrow("")


def test_an_owner_id_cannot_contain_the_separator_of_account_names() -> None:
    # `<kind>:<owner>` is read back by splitting at the first colon: an owner with one would be misread
    with pytest.raises(ValueError, match="invalid owner"):
        accounts.supplier_receivable("s:1")


def test_an_accounts_owner_is_read_back_from_its_name() -> None:
    assert accounts.account_owner(accounts.supplier_receivable("s-1")) == "s-1"
    assert accounts.account_owner(accounts.PLATFORM_FEES) is None


def test_a_correction_is_a_new_entry_that_reverses_the_original() -> None:
    original = funding_entry(order_id="o-1", payment_id="p", amount=money(500), booked_at=T0)

    correction = correction_of(original, entry_id="correction:1", booked_at=T0, memo="captured twice")

    assert correction.corrects == original.entry_id
    assert correction.memo == "captured twice"
    assert balance([original, correction], accounts.order_escrow("o-1"), "USD") == money(0)


def test_only_corrections_name_the_entry_they_correct() -> None:
    with pytest.raises(InvalidJournalEntryError):
        JournalEntry(
            entry_id="e-1",
            kind=EntryKind.FUNDING,
            order_id="o-1",
            booked_at=T0,
            postings=(posting(accounts.PROVIDER_CLEARING, -1), posting(accounts.order_escrow("o-1"), 1)),
            corrects="e-0",
        )


def test_what_a_supplier_owes_is_read_from_its_overdrawn_receivable() -> None:
    assert owed_by_supplier(money(-2_500)) == money(2_500)
    assert owed_by_supplier(money(0)) == money(0)


def test_release_split_adds_up_in_every_currency() -> None:
    for gross, currency in [(133_001, "JPY"), (214_999, "USD"), (325_001, "KWD")]:
        split = split_release(money(gross, currency), 200, money(1_000, currency))

        assert split.platform_fee + split.recovered_receivable + split.supplier_payout == split.gross


def test_a_supplier_owed_nothing_recovers_nothing_from_a_release() -> None:
    # a receivable in the supplier's favour is no debt: the whole payout after the fee goes to it
    split = split_release(money(10_000), 200, money(-500))

    assert (split.recovered_receivable, split.supplier_payout) == (money(0), money(9_800))


def test_postings_sum_per_currency() -> None:
    postings = [
        posting(accounts.PROVIDER_CLEARING, -100),
        posting(accounts.order_escrow("o-1"), 101),
        posting(accounts.PROVIDER_CLEARING, 7, "JPY"),
    ]

    assert net_by_currency(postings) == {"USD": 1, "JPY": 7}


def test_only_the_funding_entry_carries_a_memo_the_payment_it_books() -> None:
    funding = funding_entry(order_id="o-1", payment_id="pay-1", amount=money(500), booked_at=T0)
    release = release_entry(
        order_id="o-1", supplier_id="s-1", split=split_release(money(500), 200, money(0)), booked_at=T0
    )

    assert (funding.memo, release.memo) == ("payment pay-1", "")
