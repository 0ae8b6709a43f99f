"""Orders in every state, built through the domain's own operations (so tests start from reachable states)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.escrow.domain.contract import ContractTerms
from services.escrow.domain.lifecycle import fund_order, place_order, record_delivery, record_shipment
from services.escrow.domain.order import Order
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.terms import Incoterm
from shared.contracts.escrow import BuyerTier, OrderKind
from shared.money import Money
from tests.support.protection import protection

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = EscrowPolicy()

# A plausible order per currency: 100 units plus shipping, in minor units (JPY 0, USD 2, KWD 3 decimals).
UNIT_PRICES = {"JPY": 1_250, "USD": 1_999, "KWD": 3_125}
SHIPPING = {"JPY": 8_000, "USD": 15_000, "KWD": 12_500}


def money(amount: int, currency: str = "USD") -> Money:
    return Money(amount=amount, currency=currency)


def terms(currency: str = "USD", quantity: int = 100, **overrides: object) -> ContractTerms:
    base: dict[str, object] = {
        "quote_id": "q-1",
        "product_id": "p-1",
        "product_specs": {"material": "steel"},
        "quantity": quantity,
        "unit_price": money(UNIT_PRICES[currency], currency),
        "shipping": money(SHIPPING[currency], currency),
        "incoterm": Incoterm.DAP,
        "destination_country": "US",
        "destination_timezone": "America/New_York",
        "handling_time": timedelta(days=3),
        "transit_days": 10,
        "protection": protection(currency),
    }
    return ContractTerms.model_validate({**base, **overrides})


def placed(
    currency: str = "USD",
    tier: BuyerTier = BuyerTier.STANDARD,
    kind: OrderKind = OrderKind.STANDARD,
    policy: EscrowPolicy = POLICY,
) -> Order:
    return place_order(
        order_id="o-1",
        kind=kind,
        buyer_id="b-1",
        buyer_tier=tier,
        supplier_id="s-1",
        terms=terms(currency, protection=protection(currency, tier, policy=policy)),
        now=T0,
    ).order


def funded(
    currency: str = "USD", tier: BuyerTier = BuyerTier.STANDARD, policy: EscrowPolicy = POLICY
) -> Order:
    order = placed(currency, tier, policy=policy)
    total = order.contract.terms.total
    return fund_order(order, payment_id="pay-1", amount=total, now=T0 + timedelta(hours=1)).order


def shipped(currency: str = "USD", tier: BuyerTier = BuyerTier.STANDARD) -> Order:
    return record_shipment(funded(currency, tier), T0 + timedelta(days=2)).order


DELIVERED_AT = T0 + timedelta(days=12)


def delivered(currency: str = "USD", tier: BuyerTier = BuyerTier.STANDARD) -> Order:
    return record_delivery(shipped(currency, tier), DELIVERED_AT).order
