"""Escrow's handler layer over in-memory stores (no HTTP, broker or database): what property tests drive."""

from __future__ import annotations

import uuid
from datetime import timedelta

from services.escrow.domain.contract import ContractTerms
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.quote_terms import QuotedOrder
from services.escrow.domain.terms import Incoterm
from shared.clock import ManualClock
from shared.contracts.escrow import BuyerTier, OrderKind
from shared.money import Money
from shared.security.jwt import Principal
from tests.support.fakes.escrow import FakeEscrow
from tests.support.protection import protection

POLICY = EscrowPolicy()


class EscrowHandlers(FakeEscrow):
    """Escrow bootstrapped as app.py bootstraps it, over fakes, with the property tests' policy."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__(policy=POLICY, clock=clock)


# (currency, unit price, buyer tier): one supplier, so a refund after release is recovered from another order.
ORDERS = [("USD", 1_999, "standard"), ("JPY", 1_250, "enterprise"), ("KWD", 3_125, "enterprise_pro")]


def buyer(tier: str) -> Principal:
    return Principal(sub=f"b-{tier}", role="buyer", tier=tier)


def money(index: int, amount: int) -> Money:
    return Money(amount=amount, currency=ORDERS[index][0])


def quoted(currency: str, unit: int, tier: str) -> QuotedOrder:
    terms = ContractTerms(
        quote_id=f"q-{uuid.uuid4().hex[:12]}",  # each catalog quote has its own id, and places one order
        product_id="p-1",
        quantity=100,
        unit_price=Money(amount=unit, currency=currency),
        shipping=Money(amount=10_000, currency=currency),
        incoterm=Incoterm.DAP,
        destination_country="US",
        destination_timezone="America/New_York",
        handling_time=timedelta(days=3),
        transit_days=10,
        protection=protection(currency, BuyerTier(tier), policy=POLICY),
    )
    return QuotedOrder(kind=OrderKind.STANDARD, supplier_id="s-1", terms=terms)
