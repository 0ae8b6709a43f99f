"""The buyer journey over the public APIs, written once: `steps` (a buyer's `Journey` over a `Caller`),
`supplier` (onboarding, listing) and `trade` (a verified seller and its paid orders, for the tests)."""

from .steps import QUANTITY, Caller, Journey, Pace, Wait, timeline_of
from .supplier import (
    enrol_in_trade_assurance,
    list_product,
    onboard_supplier,
    pass_audit,
    register_supplier,
    verified_audit,
)
from .trade import UNIT_PRICE, Seller, Trade, money, new_seller, paid_order

__all__ = [
    "QUANTITY",
    "UNIT_PRICE",
    "Caller",
    "Journey",
    "Pace",
    "Seller",
    "Trade",
    "Wait",
    "enrol_in_trade_assurance",
    "list_product",
    "money",
    "new_seller",
    "onboard_supplier",
    "paid_order",
    "pass_audit",
    "register_supplier",
    "timeline_of",
    "verified_audit",
]
