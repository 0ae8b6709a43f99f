"""The ledger invariant check behind GET /v1/ledger/check: proves the books or lists every breach."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from shared.contracts.escrow import RefundSource
from shared.money import Money

from . import accounts
from .accounts import AccountKind
from .journal import EntryKind, JournalEntry, net_by_currency
from .order import Order


class BreachCode(StrEnum):
    UNBALANCED_ENTRY = "unbalanced_entry"
    LEDGER_NOT_ZERO_SUM = "ledger_not_zero_sum"
    DUPLICATE_ENTRY = "duplicate_entry"
    UNKNOWN_CORRECTED_ENTRY = "unknown_corrected_entry"
    ESCROW_NEGATIVE = "escrow_negative"
    ESCROW_BOUND_BROKEN = "escrow_bound_broken"
    OVER_REFUNDED = "over_refunded"
    DOUBLE_RELEASE = "double_release"
    DOUBLE_COMPENSATION = "double_compensation"
    LEDGER_DISAGREES_WITH_ORDER = "ledger_disagrees_with_order"
    LEDGER_WITHOUT_ORDER = "ledger_without_order"


class Breach(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: BreachCode
    detail: str
    order_id: str | None = None
    entry_id: str | None = None
    currency: str | None = None


class OrderSummary(BaseModel):
    """What an order document says about its money, to be compared with what the ledger says."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: str
    paid: Money
    released: Money
    refunded_from_escrow: Money
    refunded_after_release: Money
    compensated: Money


class LedgerFigures(BaseModel):
    """One order's money as the journal shows it, in minor units of one currency."""

    model_config = ConfigDict(extra="forbid")

    funded: int = 0
    released: int = 0
    refunded_from_escrow: int = 0
    refunded_after_release: int = 0
    compensated: int = 0
    held: int = 0
    lowest_held: int = 0
    releases: int = 0
    compensations: int = 0


_COMPARED = ("paid", "released", "refunded_from_escrow", "refunded_after_release", "compensated")


def summarize(order: Order) -> OrderSummary:
    zero = Money.zero(order.currency)
    return OrderSummary(
        order_id=order.order_id,
        paid=order.paid,
        released=order.released,
        refunded_from_escrow=order.refunded_from(RefundSource.ESCROW),
        refunded_after_release=order.refunded_from(RefundSource.GUARANTEE_FUND),
        compensated=order.compensation.amount if order.compensation else zero,
    )


def check_ledger(entries: Sequence[JournalEntry], orders: Iterable[OrderSummary]) -> list[Breach]:
    """Zero-sum per entry and per currency, escrow bounds, single release and compensation, agreement."""
    breaches = _entry_breaches(entries)
    figures, correction_breaches = order_figures(entries)
    breaches += correction_breaches
    for (order_id, currency), fig in sorted(figures.items()):
        breaches += _figure_breaches(order_id, currency, fig)
    breaches += _agreement_breaches(figures, list(orders))
    return breaches


def order_figures(
    entries: Sequence[JournalEntry],
) -> tuple[dict[tuple[str, str], LedgerFigures], list[Breach]]:
    """Per (order, currency): what was funded, released, refunded, compensated and is still held."""
    by_id = {entry.entry_id: entry for entry in entries}
    figures: dict[tuple[str, str], LedgerFigures] = defaultdict(LedgerFigures)
    breaches: list[Breach] = []
    for entry in sorted(entries, key=lambda e: e.booked_at):
        kind, sign = entry.kind, 1
        if entry.corrects is not None:
            corrected = by_id.get(entry.corrects)
            if corrected is None:
                breaches.append(
                    _breach(BreachCode.UNKNOWN_CORRECTED_ENTRY, f"corrects {entry.corrects}", entry)
                )
                continue
            kind, sign = corrected.kind, -1
        for currency in net_by_currency(entry.postings):
            _add(figures[(entry.order_id, currency)], entry, kind, sign, currency)
    return dict(figures), breaches


def _add(fig: LedgerFigures, entry: JournalEntry, kind: EntryKind, sign: int, currency: str) -> None:
    def flowing_into(*kinds: AccountKind, exact: str | None = None) -> int:
        return sum(
            p.amount.amount
            for p in entry.postings
            if p.amount.currency == currency
            and (p.account == exact if exact else accounts.account_kind(p.account) in kinds)
        )

    escrow = flowing_into(exact=accounts.order_escrow(entry.order_id))
    fig.held += escrow
    fig.lowest_held = min(fig.lowest_held, fig.held)
    if kind is EntryKind.FUNDING:
        fig.funded += escrow
    elif kind is EntryKind.RELEASE:
        fig.released -= escrow
        fig.releases += sign
    elif kind is EntryKind.REFUND_FROM_ESCROW:
        fig.refunded_from_escrow -= escrow
    elif kind is EntryKind.REFUND_FROM_GUARANTEE_FUND:
        fig.refunded_after_release += flowing_into(AccountKind.PROVIDER_CLEARING)
    elif kind is EntryKind.COMPENSATION:
        fig.compensated += flowing_into(AccountKind.BUYER_CREDIT)
        fig.compensations += sign


def _entry_breaches(entries: Sequence[JournalEntry]) -> list[Breach]:
    # Entries are validated when built, but stored documents can be written around the model: re-prove.
    breaches: list[Breach] = []
    for entry in entries:
        for currency, total in net_by_currency(entry.postings).items():
            if total:
                breaches.append(_breach(BreachCode.UNBALANCED_ENTRY, f"{currency} sums to {total}", entry))
    for entry_id, count in Counter(entry.entry_id for entry in entries).items():
        if count > 1:
            breaches.append(
                Breach(code=BreachCode.DUPLICATE_ENTRY, detail=f"booked {count} times", entry_id=entry_id)
            )
    totals = net_by_currency(posting for entry in entries for posting in entry.postings)
    for currency, total in sorted(totals.items()):
        if total:
            breaches.append(
                Breach(code=BreachCode.LEDGER_NOT_ZERO_SUM, detail=f"sums to {total}", currency=currency)
            )
    return breaches


def _figure_breaches(order_id: str, currency: str, fig: LedgerFigures) -> list[Breach]:
    found: list[tuple[BreachCode, str]] = []
    if fig.lowest_held < 0:
        found.append((BreachCode.ESCROW_NEGATIVE, f"escrow fell to {fig.lowest_held}"))
    if fig.released + fig.refunded_from_escrow + fig.held != fig.funded:
        found.append(
            (
                BreachCode.ESCROW_BOUND_BROKEN,
                f"released {fig.released} + refunded {fig.refunded_from_escrow} + held {fig.held}"
                f" != funded {fig.funded}",
            )
        )
    if fig.refunded_from_escrow + fig.refunded_after_release > fig.funded:
        found.append((BreachCode.OVER_REFUNDED, f"refunded more than the {fig.funded} funded"))
    if fig.releases > 1:
        found.append((BreachCode.DOUBLE_RELEASE, f"released {fig.releases} times"))
    if fig.compensations > 1:
        found.append((BreachCode.DOUBLE_COMPENSATION, f"compensated {fig.compensations} times"))
    return [Breach(code=code, detail=detail, order_id=order_id, currency=currency) for code, detail in found]


def _agreement_breaches(
    figures: dict[tuple[str, str], LedgerFigures], orders: list[OrderSummary]
) -> list[Breach]:
    breaches: list[Breach] = []
    known = {(order.order_id, order.paid.currency) for order in orders}
    for order_id, currency in sorted(set(figures) - known):
        breaches.append(
            Breach(
                code=BreachCode.LEDGER_WITHOUT_ORDER,
                detail="journal entries for an order that does not exist in this currency",
                order_id=order_id,
                currency=currency,
            )
        )
    for order in orders:
        fig = figures.get((order.order_id, order.paid.currency), LedgerFigures())
        ledger = {**fig.model_dump(), "paid": fig.funded}
        for name in _COMPARED:
            says: Money = getattr(order, name)
            if says.amount != ledger[name]:
                breaches.append(
                    Breach(
                        code=BreachCode.LEDGER_DISAGREES_WITH_ORDER,
                        detail=f"{name}: order says {says.amount}, ledger says {ledger[name]}",
                        order_id=order.order_id,
                        currency=says.currency,
                    )
                )
    return breaches


def _breach(code: BreachCode, detail: str, entry: JournalEntry) -> Breach:
    return Breach(code=code, detail=detail, order_id=entry.order_id, entry_id=entry.entry_id)
