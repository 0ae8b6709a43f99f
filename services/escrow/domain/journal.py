"""The double-entry journal: immutable entries whose postings sum to zero in every currency.

Sign convention: a posting's amount is what flows *into* its account (negative: out of it). An account's
balance is the sum of its postings, so an order's escrow holds a positive balance while funded, and
`provider_clearing` (the world outside, through the payment provider) runs negative by what came in.
An open supplier receivable shows as a negative balance: the supplier is overdrawn by what it owes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.money import Money

from .accounts import account_kind
from .errors import InvalidJournalEntryError, UnbalancedEntryError


class EntryKind(StrEnum):
    FUNDING = "funding"
    RELEASE = "release"
    REFUND_FROM_ESCROW = "refund_from_escrow"
    REFUND_FROM_GUARANTEE_FUND = "refund_from_guarantee_fund"
    COMPENSATION = "compensation"
    CORRECTION = "correction"


class Posting(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    account: str
    amount: Money = Field(description="Flows into the account when positive, out of it when negative.")

    @field_validator("account")
    @classmethod
    def _well_formed_account(cls, account: str) -> str:
        account_kind(account)
        return account


class JournalEntry(BaseModel):
    """One atomic money movement. `entry_id` is derived from its cause, so booking twice is detectable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entry_id: str = Field(min_length=1)
    kind: EntryKind
    order_id: str
    booked_at: AwareDatetime
    postings: tuple[Posting, ...]
    corrects: str | None = Field(default=None, description="The entry a correction reverses.")
    memo: str = ""

    @model_validator(mode="after")
    def _bookable(self) -> JournalEntry:
        if len(self.postings) < 2:
            raise InvalidJournalEntryError(f"entry {self.entry_id} needs at least two postings")
        if any(posting.amount.amount == 0 for posting in self.postings):
            raise InvalidJournalEntryError(f"entry {self.entry_id} has a zero posting")
        if (self.kind is EntryKind.CORRECTION) != (self.corrects is not None):
            raise InvalidJournalEntryError(f"entry {self.entry_id}: only corrections name an entry")
        unbalanced = {currency: total for currency, total in net_by_currency(self.postings).items() if total}
        if unbalanced:
            raise UnbalancedEntryError(f"entry {self.entry_id} does not sum to zero: {unbalanced}")
        return self


def net_by_currency(postings: Iterable[Posting]) -> dict[str, int]:
    """Sum of the postings per currency, in minor units."""
    totals: dict[str, int] = defaultdict(int)
    for posting in postings:
        totals[posting.amount.currency] += posting.amount.amount
    return dict(totals)


def balance(entries: Iterable[JournalEntry], account: str, currency: str) -> Money:
    """What an account holds in one currency after the given entries."""
    total = sum(
        posting.amount.amount
        for entry in entries
        for posting in entry.postings
        if posting.account == account and posting.amount.currency == currency
    )
    return Money(amount=total, currency=currency)


def correction_of(entry: JournalEntry, *, entry_id: str, booked_at: datetime, memo: str) -> JournalEntry:
    """A new entry that reverses `entry`; entries are never edited or deleted."""
    return JournalEntry(
        entry_id=entry_id,
        kind=EntryKind.CORRECTION,
        order_id=entry.order_id,
        booked_at=booked_at,
        postings=tuple(Posting(account=p.account, amount=-p.amount) for p in entry.postings),
        corrects=entry.entry_id,
        memo=memo,
    )
