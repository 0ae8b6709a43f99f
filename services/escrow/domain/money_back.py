"""The money-back window: how long after delivery a buyer may still claim its money back."""

from __future__ import annotations

from datetime import datetime

from .order import Order
from .policy import EscrowPolicy


def money_back_window_ends_at(order: Order, policy: EscrowPolicy) -> datetime | None:
    """30 days after delivery (60 for enterprise tiers, by default); open-ended before delivery."""
    if order.delivered_at is None:
        return None
    return order.delivered_at + policy.money_back_window(order.buyer_tier)


def within_money_back_window(order: Order, moment: datetime, policy: EscrowPolicy) -> bool:
    ends_at = money_back_window_ends_at(order, policy)
    return ends_at is None or moment <= ends_at
