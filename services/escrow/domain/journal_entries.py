"""The journal entry each money movement of an order books; entry ids make each one bookable once."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, model_validator

from shared.contracts.escrow import CompensationFunding
from shared.money import Money

from . import accounts
from .journal import EntryKind, JournalEntry, Posting


class ReleaseSplit(BaseModel):
    """How a release divides the escrowed amount: fee to the platform, debt back, the rest to the supplier."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    gross: Money
    platform_fee: Money
    recovered_receivable: Money
    supplier_payout: Money

    @model_validator(mode="after")
    def _adds_up(self) -> ReleaseSplit:
        if self.platform_fee + self.recovered_receivable + self.supplier_payout != self.gross:
            raise ValueError("release split does not add up to the gross amount")
        return self


def split_release(gross: Money, platform_fee_bps: int, owed_by_supplier: Money) -> ReleaseSplit:
    """Fee first, then recover what the supplier owes from its payout, never more than the payout."""
    fee = gross.fraction_bps(platform_fee_bps)
    payout_before_recovery = gross - fee
    recovered = owed_by_supplier.min(payout_before_recovery)
    if recovered.amount < 0:
        recovered = recovered.with_amount(0)
    return ReleaseSplit(
        gross=gross,
        platform_fee=fee,
        recovered_receivable=recovered,
        supplier_payout=payout_before_recovery - recovered,
    )


def owed_by_supplier(receivable_balance: Money) -> Money:
    """What a supplier owes, read from its receivable account's balance (negative while it owes)."""
    return receivable_balance.with_amount(max(0, -receivable_balance.amount))


def funding_entry(*, order_id: str, payment_id: str, amount: Money, booked_at: datetime) -> JournalEntry:
    """Payment captured: the money moves from the provider into the order's escrow."""
    return _entry(
        f"funding:{order_id}",
        EntryKind.FUNDING,
        order_id,
        booked_at,
        [(accounts.PROVIDER_CLEARING, -amount), (accounts.order_escrow(order_id), amount)],
        memo=f"payment {payment_id}",
    )


def release_entry(
    *, order_id: str, supplier_id: str, split: ReleaseSplit, booked_at: datetime
) -> JournalEntry:
    """Escrow to supplier payable and platform fees in one entry, settling any supplier receivable."""
    return _entry(
        f"release:{order_id}",
        EntryKind.RELEASE,
        order_id,
        booked_at,
        [
            (accounts.order_escrow(order_id), -split.gross),
            (accounts.supplier_payable(supplier_id), split.supplier_payout),
            (accounts.PLATFORM_FEES, split.platform_fee),
            (accounts.supplier_receivable(supplier_id), split.recovered_receivable),
        ],
    )


def refund_from_escrow_entry(
    *, order_id: str, refund_id: str, amount: Money, booked_at: datetime
) -> JournalEntry:
    """Refund before release: the money goes back from escrow to the buyer through the provider."""
    return _entry(
        f"refund:{order_id}:{refund_id}",
        EntryKind.REFUND_FROM_ESCROW,
        order_id,
        booked_at,
        [(accounts.order_escrow(order_id), -amount), (accounts.PROVIDER_CLEARING, amount)],
    )


def refund_from_guarantee_fund_entry(
    *, order_id: str, supplier_id: str, refund_id: str, amount: Money, booked_at: datetime
) -> JournalEntry:
    """Refund after release, as two transfers: the fund pays the buyer, and takes the supplier's debt.

    The fund's own balance is unchanged: it bears a loss only if the receivable is never recovered.
    """
    return _entry(
        f"refund:{order_id}:{refund_id}",
        EntryKind.REFUND_FROM_GUARANTEE_FUND,
        order_id,
        booked_at,
        [
            (accounts.GUARANTEE_FUND, -amount),
            (accounts.PROVIDER_CLEARING, amount),
            (accounts.supplier_receivable(supplier_id), -amount),
            (accounts.GUARANTEE_FUND, amount),
        ],
    )


def compensation_entry(
    *, order_id: str, buyer_id: str, amount: Money, funded_by: CompensationFunding, booked_at: datetime
) -> JournalEntry:
    """Buyer credit for a missed promise, paid by the guarantee fund or out of platform fees."""
    source = (
        accounts.GUARANTEE_FUND if funded_by is CompensationFunding.GUARANTEE_FUND else accounts.PLATFORM_FEES
    )
    return _entry(
        f"compensation:{order_id}",
        EntryKind.COMPENSATION,
        order_id,
        booked_at,
        [(source, -amount), (accounts.buyer_credit(buyer_id), amount)],
    )


def _entry(
    entry_id: str,
    kind: EntryKind,
    order_id: str,
    booked_at: datetime,
    movements: list[tuple[str, Money]],
    memo: str = "",
) -> JournalEntry:
    # Zero legs (no fee, nothing to recover) are left out rather than booked as empty postings.
    postings = tuple(
        Posting(account=account, amount=amount) for account, amount in movements if amount.amount
    )
    return JournalEntry(
        entry_id=entry_id, kind=kind, order_id=order_id, booked_at=booked_at, postings=postings, memo=memo
    )
