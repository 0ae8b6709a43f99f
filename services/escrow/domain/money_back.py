"""The money-back window: how long after delivery a buyer may still claim its money back."""

from __future__ import annotations

from datetime import datetime, timedelta

from .order import Order


def money_back_window_ends_at(order: Order) -> datetime | None:
    """The contract's window for the buyer's tier after delivery (by default 30 days, 60 for enterprise
    tiers); open-ended before delivery."""
    if order.delivered_at is None:
        return None
    return order.delivered_at + timedelta(days=order.contract.terms.protection.money_back_window_days)


def within_money_back_window(order: Order, moment: datetime) -> bool:
    ends_at = money_back_window_ends_at(order)
    return ends_at is None or moment <= ends_at
