"""What a quote promises is what a return gets: one recorded decision travels from catalog to logistics."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.catalog.adapters.exchange_rates import sandbox_rates
from services.catalog.domain.policy import QuotePolicy
from services.catalog.domain.product import PriceTier
from services.catalog.domain.quote import QuoteRequest, issue_quote
from services.escrow.domain.lifecycle import fund_order, place_order
from services.escrow.domain.policy import EscrowPolicy
from services.escrow.domain.quote_terms import BuyerChoices, order_from_quote
from services.escrow.domain.terms import Incoterm
from services.logistics.domain.easy_return import ReturnableOrder, easy_return_eligibility
from services.logistics.domain.policy import LogisticsPolicy
from shared.contracts.escrow import BuyerTier, OrderFunded
from shared.contracts.logistics import ReturnReason
from shared.money import CURRENCY_EXPONENTS, ExchangeRate, Money
from tests.unit.catalog.builders import NOW, product

RATES = sandbox_rates()
CHOICES = BuyerChoices(
    incoterm=Incoterm.DAP, destination_timezone="Asia/Tokyo", handling_time=timedelta(days=3), transit_days=5
)


def funded_order_of(currency: str, unit_major: int) -> OrderFunded:
    """A Trade Assurance, Easy Return listing in `currency`, quoted to Japan, ordered and paid."""
    unit = Money(amount=unit_major * 10 ** CURRENCY_EXPONENTS[currency], currency=currency)
    listed = product(
        currency=currency,
        trade_assurance=True,
        easy_return=True,
        tiers=(PriceTier(min_qty=100, unit_price=unit),),
    )
    rate = (
        ExchangeRate.usd(NOW)
        if currency == "USD"
        else ExchangeRate(currency=currency, usd_per_unit=RATES[currency], source="sandbox", as_of=NOW)
    )
    request = QuoteRequest(product_id=listed.id, quantity=100, destination="JP")
    quote = issue_quote("q-1", listed, "b-1", request, None, (), QuotePolicy(), NOW, rate, "CN")
    policy = EscrowPolicy()
    quoted = order_from_quote(
        quote, buyer_id="b-1", tier=BuyerTier.STANDARD, choices=CHOICES, now=NOW, policy=policy
    )
    placed = place_order(
        order_id="o-1",
        kind=quoted.kind,
        buyer_id="b-1",
        buyer_tier=BuyerTier.STANDARD,
        supplier_id=quoted.supplier_id,
        terms=quoted.terms,
        now=NOW,
    ).order
    change = fund_order(placed, payment_id="p-1", amount=placed.contract.terms.total, now=NOW)
    (funded,) = (event for event in change.events if isinstance(event, OrderFunded))
    return funded


def return_decision(funded: OrderFunded) -> tuple[bool, str]:
    assert funded.goods_total is not None
    assert funded.shipping is not None
    order = ReturnableOrder(
        order_id=funded.order_id,
        shipment_id="sh-1",
        buyer_id=funded.buyer_id,
        supplier_id=funded.supplier_id,
        easy_return=funded.protection.easy_return,
        product_total=funded.goods_total,
        shipping_total=funded.shipping,
        delivered_at=NOW + timedelta(days=9),
    )
    decision = easy_return_eligibility(
        order,
        ReturnReason.DEFECTIVE,
        already_returned=False,
        now=NOW + timedelta(days=10),
        policy=LogisticsPolicy(),
    )
    return decision.allowed, decision.reason.value


@pytest.mark.parametrize("currency", sorted(CURRENCY_EXPONENTS))
def test_easy_return_promised_at_the_quote_is_honoured_at_the_return_in_every_currency(currency: str) -> None:
    # given an order of 100 units at one major unit each, in any accepted currency
    funded = funded_order_of(currency, unit_major=1)
    # then the quote promised Easy Return if, and only if, the return is later allowed: one recorded decision
    promised = funded.protection.easy_return.eligible
    assert return_decision(funded)[0] is promised
    # and an order within the US$3,000 cap at its rate is promised it in every currency
    assert funded.protection.exchange_rate.to_usd(funded.paid) <= Money(amount=300_000, currency="USD")
    assert promised


def test_an_order_above_the_cap_is_neither_promised_nor_returned() -> None:
    funded = funded_order_of("KWD", unit_major=10)  # 1 000 KWD, about US$3,250 at the sandbox rate
    assert not funded.protection.easy_return.eligible
    assert return_decision(funded) == (False, "not_in_easy_return_program")
