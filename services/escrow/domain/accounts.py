"""Ledger accounts: platform-wide ones by name, per-party ones as `<kind>:<owner id>`."""

from __future__ import annotations

from enum import StrEnum


class AccountKind(StrEnum):
    PROVIDER_CLEARING = "provider_clearing"
    ORDER_ESCROW = "order_escrow"
    SUPPLIER_PAYABLE = "supplier_payable"
    PLATFORM_FEES = "platform_fees"
    GUARANTEE_FUND = "guarantee_fund"
    SUPPLIER_RECEIVABLE = "supplier_receivable"
    BUYER_CREDIT = "buyer_credit"


_OWNED = frozenset(
    {
        AccountKind.ORDER_ESCROW,
        AccountKind.SUPPLIER_PAYABLE,
        AccountKind.SUPPLIER_RECEIVABLE,
        AccountKind.BUYER_CREDIT,
    }
)

PROVIDER_CLEARING = AccountKind.PROVIDER_CLEARING.value
PLATFORM_FEES = AccountKind.PLATFORM_FEES.value
GUARANTEE_FUND = AccountKind.GUARANTEE_FUND.value


def order_escrow(order_id: str) -> str:
    return _owned(AccountKind.ORDER_ESCROW, order_id)


def supplier_payable(supplier_id: str) -> str:
    return _owned(AccountKind.SUPPLIER_PAYABLE, supplier_id)


def supplier_receivable(supplier_id: str) -> str:
    return _owned(AccountKind.SUPPLIER_RECEIVABLE, supplier_id)


def buyer_credit(buyer_id: str) -> str:
    return _owned(AccountKind.BUYER_CREDIT, buyer_id)


def account_kind(account: str) -> AccountKind:
    """The kind of an account name; ValueError when it is not a well-formed ledger account."""
    kind_name, _, owner = account.partition(":")
    kind = AccountKind(kind_name)
    if (kind in _OWNED) != bool(owner):
        raise ValueError(f"malformed account {account!r}")
    return kind


def account_owner(account: str) -> str | None:
    """The order, supplier or buyer id an account belongs to; None for platform-wide accounts."""
    return account.partition(":")[2] or None


def _owned(kind: AccountKind, owner: str) -> str:
    if not owner or ":" in owner:
        raise ValueError(f"invalid owner id {owner!r} for {kind.value}")
    return f"{kind.value}:{owner}"
