"""Finance's balances per currency: what escrow holds, and what it has released, refunded and earned.

Each journal entry contributes its own flows, computed once when it is booked, so the totals are a sum
over entries the database can do. `held` and `fees` are account balances (a correction moves them too);
`released`, `refunded` and `compensated` count the money that left through each kind of entry.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, ConfigDict

from .accounts import AccountKind, account_kind
from .journal import EntryKind, JournalEntry

REFUNDS = frozenset({EntryKind.REFUND_FROM_ESCROW, EntryKind.REFUND_FROM_GUARANTEE_FUND})


class Flows(BaseModel):
    """Minor units of one currency; `held` is what order escrow accounts hold, `fees` the platform's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    currency: str
    held: int = 0
    released: int = 0
    refunded: int = 0
    compensated: int = 0
    fees: int = 0


def entry_flows(entry: JournalEntry) -> list[Flows]:
    """What one entry adds to each currency's balances."""
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for posting in entry.postings:
        kind, amount = account_kind(posting.account), posting.amount
        flows = totals[amount.currency]
        if kind is AccountKind.ORDER_ESCROW:
            flows["held"] += amount.amount
            if entry.kind is EntryKind.RELEASE:
                flows["released"] -= amount.amount
        elif kind is AccountKind.PLATFORM_FEES:
            flows["fees"] += amount.amount
        elif kind is AccountKind.PROVIDER_CLEARING and entry.kind in REFUNDS:
            flows["refunded"] += amount.amount
        elif kind is AccountKind.BUYER_CREDIT and entry.kind is EntryKind.COMPENSATION:
            flows["compensated"] += amount.amount
    return [Flows(currency=currency, **values) for currency, values in sorted(totals.items())]
