"""The ledger check proves zero-sum, escrow bounds and single release, and lists every breach it finds."""

from __future__ import annotations

from datetime import timedelta

from services.escrow.domain import accounts
from services.escrow.domain.claims import freeze_order
from services.escrow.domain.compensation import issue_compensation
from services.escrow.domain.journal import EntryKind, JournalEntry, Posting, correction_of
from services.escrow.domain.journal_entries import (
    funding_entry,
    refund_from_escrow_entry,
    refund_from_guarantee_fund_entry,
)
from services.escrow.domain.order import Order, OrderChange
from services.escrow.domain.reconciliation import (
    Breach,
    BreachCode,
    check_ledger,
    order_figures,
    summarize,
)
from services.escrow.domain.refunds import refund_by_decision
from services.escrow.domain.release import confirm_receipt
from shared.contracts.escrow import BuyerTier, DeadlineKind

from .factories import DELIVERED_AT, POLICY, T0, delivered, funded, money
from .test_compensation import late

LATER = DELIVERED_AT + timedelta(days=1)


def journey() -> tuple[Order, list[JournalEntry]]:
    """Funded, delivered, released, then $300.00 refunded after release: all entry kinds but compensation."""
    order = delivered("USD")
    entries = [funding_entry(order_id="o-1", payment_id="pay-1", amount=order.paid, booked_at=T0)]
    changes: list[OrderChange] = [
        confirm_receipt(order, buyer_id="b-1", now=LATER, policy=POLICY, owed_by_supplier=money(0))
    ]
    changes.append(freeze_order(changes[-1].order, "c-1", LATER))
    changes.append(
        refund_by_decision(
            changes[-1].order,
            decision_id="d-1",
            claim_id="c-1",
            amount=money(30_000),
            now=LATER,
        )
    )
    entries += [entry for change in changes for entry in change.entries]
    return changes[-1].order, entries


def codes(entries: list[JournalEntry], *orders: Order) -> list[BreachCode]:
    return [breach.code for breach in check_ledger(entries, [summarize(order) for order in orders])]


def test_books_of_a_full_journey_prove_clean() -> None:
    order, entries = journey()

    assert codes(entries, order) == []


def test_a_second_release_is_reported() -> None:
    order, entries = journey()
    release = next(entry for entry in entries if entry.kind is EntryKind.RELEASE)
    double = release.model_copy(update={"entry_id": "release:o-1:again"})

    found = codes([*entries, double], order)

    assert BreachCode.DOUBLE_RELEASE in found
    assert BreachCode.ESCROW_NEGATIVE in found


def test_the_same_entry_booked_twice_is_reported() -> None:
    order, entries = journey()

    assert BreachCode.DUPLICATE_ENTRY in codes([*entries, entries[0]], order)


def test_an_unbalanced_entry_written_around_the_model_is_reported() -> None:
    order, entries = journey()
    forged = JournalEntry.model_construct(
        entry_id="forged",
        kind=EntryKind.FUNDING,
        order_id="o-1",
        booked_at=T0,
        postings=(Posting(account=accounts.order_escrow("o-1"), amount=money(1)),),
        corrects=None,
        memo="",
    )

    found = codes([*entries, forged], order)

    assert BreachCode.UNBALANCED_ENTRY in found
    assert BreachCode.LEDGER_NOT_ZERO_SUM in found


def test_refunds_above_what_was_funded_are_reported() -> None:
    order = funded("USD")
    entries = [
        funding_entry(order_id="o-1", payment_id="pay-1", amount=order.paid, booked_at=T0),
        refund_from_escrow_entry(order_id="o-1", refund_id="r-1", amount=order.paid, booked_at=T0),
        refund_from_escrow_entry(order_id="o-1", refund_id="r-2", amount=money(1), booked_at=T0),
    ]

    found = codes(entries)

    assert BreachCode.OVER_REFUNDED in found
    assert BreachCode.ESCROW_NEGATIVE in found
    assert BreachCode.LEDGER_WITHOUT_ORDER in found


def test_a_ledger_that_disagrees_with_the_order_is_reported() -> None:
    order, entries = journey()
    without_refund = [entry for entry in entries if entry.kind is not EntryKind.REFUND_FROM_GUARANTEE_FUND]

    breaches = check_ledger(without_refund, [summarize(order)])

    assert [(b.code, b.detail) for b in breaches] == [
        (BreachCode.LEDGER_DISAGREES_WITH_ORDER, "refunded_after_release: order says 30000, ledger says 0")
    ]


def test_escrow_touched_by_an_entry_of_another_kind_breaks_the_bound() -> None:
    order = funded("USD")
    stray = JournalEntry(
        entry_id="compensation:o-1",
        kind=EntryKind.COMPENSATION,
        order_id="o-1",
        booked_at=T0,
        postings=(
            Posting(account=accounts.order_escrow("o-1"), amount=money(-100)),
            Posting(account=accounts.buyer_credit("b-1"), amount=money(100)),
        ),
    )
    entries = [funding_entry(order_id="o-1", payment_id="pay-1", amount=order.paid, booked_at=T0), stray]

    assert BreachCode.ESCROW_BOUND_BROKEN in codes(entries, order)


def test_a_corrected_release_no_longer_counts() -> None:
    order, entries = journey()
    release = next(entry for entry in entries if entry.kind is EntryKind.RELEASE)
    reversal = correction_of(release, entry_id="correction:1", booked_at=LATER, memo="released in error")

    found = codes([*entries, reversal], order)

    # The ledger now holds the money again while the order says it was released: a disagreement, no double
    assert BreachCode.DOUBLE_RELEASE not in found
    assert BreachCode.LEDGER_DISAGREES_WITH_ORDER in found


def test_a_correction_of_an_unknown_entry_is_reported() -> None:
    order, entries = journey()
    ghost = funding_entry(order_id="o-9", payment_id="x", amount=money(5), booked_at=T0)
    reversal = correction_of(ghost, entry_id="correction:ghost", booked_at=T0, memo="m")

    assert BreachCode.UNKNOWN_CORRECTED_ENTRY in codes([*entries, reversal], order)


def compensated() -> tuple[Order, list[JournalEntry]]:
    """A funded enterprise order credited $100.00 for a broken delivery promise."""
    order = late("USD", BuyerTier.ENTERPRISE)
    now = order.missed_deadlines[0].late_from
    change = issue_compensation(order, DeadlineKind.DELIVERY, automatic=True, now=now, policy=POLICY)
    funding = funding_entry(order_id="o-1", payment_id="pay-1", amount=order.paid, booked_at=T0)
    return change.order, [funding, *change.entries]


def test_every_breach_names_the_order_entry_and_currency_it_was_found_in() -> None:
    order, entries = journey()
    forged = JournalEntry.model_construct(
        entry_id="forged",
        kind=EntryKind.FUNDING,
        order_id="o-1",
        booked_at=T0,
        postings=(Posting(account=accounts.PROVIDER_CLEARING, amount=money(-1)),),
        corrects=None,
        memo="",
    )
    release = next(entry for entry in entries if entry.kind is EntryKind.RELEASE)
    double = release.model_copy(update={"entry_id": "release:o-1:again"})

    breaches = check_ledger([*entries, entries[0], forged, double], [summarize(order)])

    where = {(b.code, b.order_id, b.entry_id, b.currency) for b in breaches}
    assert where >= {
        (BreachCode.UNBALANCED_ENTRY, "o-1", "forged", None),
        (BreachCode.DUPLICATE_ENTRY, None, entries[0].entry_id, None),
        (BreachCode.LEDGER_NOT_ZERO_SUM, None, None, "USD"),
        (BreachCode.DOUBLE_RELEASE, "o-1", None, "USD"),
        (BreachCode.LEDGER_DISAGREES_WITH_ORDER, "o-1", None, "USD"),
    }


def test_an_order_missing_from_the_books_check_is_named_with_its_currency() -> None:
    entries = [funding_entry(order_id="o-9", payment_id="x", amount=money(5, "JPY"), booked_at=T0)]

    assert check_ledger(entries, []) == [
        Breach(
            code=BreachCode.LEDGER_WITHOUT_ORDER,
            detail="journal entries for an order that does not exist in this currency",
            order_id="o-9",
            currency="JPY",
        )
    ]


def test_a_correction_of_an_unknown_entry_is_named_and_the_books_after_it_still_count() -> None:
    order, entries = journey()
    ghost = funding_entry(order_id="o-9", payment_id="x", amount=money(5), booked_at=T0)
    # booked before every other entry, so the check meets it first
    reversal = correction_of(ghost, entry_id="correction:ghost", booked_at=T0 - timedelta(days=1), memo="m")

    breaches = check_ledger([reversal, *entries], [summarize(order)])

    assert [(b.code, b.order_id, b.entry_id) for b in breaches] == [
        (BreachCode.UNKNOWN_CORRECTED_ENTRY, "o-9", "correction:ghost")
    ]


def test_a_correction_cancels_exactly_the_entry_it_reverses() -> None:
    _, entries = journey()
    funding, release = entries[0], next(entry for entry in entries if entry.kind is EntryKind.RELEASE)
    reversal = correction_of(release, entry_id="correction:1", booked_at=LATER, memo="released in error")

    assert order_figures([funding, release, reversal]) == order_figures([funding])


def test_a_payment_booked_twice_is_funded_twice_in_the_books() -> None:
    order, entries = journey()
    again = entries[0].model_copy(update={"entry_id": "funding:o-1:again"})

    breaches = check_ledger([*entries, again], [summarize(order)])

    assert "paid: order says 214900, ledger says 429800" in [b.detail for b in breaches]


def test_refunds_after_release_add_up_in_the_books() -> None:
    order, entries = journey()
    second = refund_by_decision(
        freeze_order(order, "c-2", LATER).order,
        decision_id="d-2",
        claim_id="c-2",
        amount=money(10_000),
        now=LATER,
    )

    assert codes([*entries, *second.entries], second.order) == []


def test_refunds_from_escrow_and_after_release_together_never_exceed_what_was_funded() -> None:
    order = funded("USD")
    paid = order.paid.amount
    entries = [
        funding_entry(order_id="o-1", payment_id="pay-1", amount=order.paid, booked_at=T0),
        refund_from_escrow_entry(order_id="o-1", refund_id="r-1", amount=money(paid - 100), booked_at=T0),
        refund_from_guarantee_fund_entry(
            order_id="o-1", supplier_id="s-1", refund_id="r-2", amount=money(101), booked_at=T0
        ),
    ]

    assert BreachCode.OVER_REFUNDED in codes(entries)


def test_books_of_a_compensated_order_prove_clean() -> None:
    order, entries = compensated()

    assert codes(entries, order) == []


def test_a_second_compensation_is_reported() -> None:
    order, entries = compensated()
    credit = entries[-1]
    double = credit.model_copy(update={"entry_id": "compensation:o-1:again"})

    breaches = check_ledger([*entries, double], [summarize(order)])

    assert [(b.code, b.detail) for b in breaches] == [
        (BreachCode.DOUBLE_COMPENSATION, "compensated 2 times"),
        (BreachCode.LEDGER_DISAGREES_WITH_ORDER, "compensated: order says 10000, ledger says 20000"),
    ]
