from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from services.logistics.domain.easy_return import (
    EasyReturnDecision,
    EligibilityReason,
    ReturnableOrder,
    easy_return_eligibility,
    to_usd,
)
from services.logistics.domain.policy import LogisticsPolicy
from shared.contracts.logistics import ReturnReason
from shared.money import Money

from .builders import FUNDED_AT, POLICY, usd

DELIVERED_AT = FUNDED_AT + timedelta(days=8)
R = EligibilityReason


def an_order(**overrides: Any) -> ReturnableOrder:
    fields: dict[str, Any] = {
        "order_id": "order-1",
        "shipment_id": "shipment-1",
        "buyer_id": "buyer-1",
        "supplier_id": "supplier-1",
        "trade_assurance": True,
        "easy_return": True,
        "product_total": usd("2500.00"),
        "shipping_total": usd("500.00"),
        "shipping_country": "US",
        "delivered_at": DELIVERED_AT,
    }
    return ReturnableOrder(**(fields | overrides))


def decide(
    order: ReturnableOrder | None = None,
    *,
    reason: ReturnReason = ReturnReason.DEFECTIVE,
    already_returned: bool = False,
    now_after_delivery: timedelta = timedelta(days=3),
    policy: LogisticsPolicy = POLICY,
) -> EasyReturnDecision:
    return easy_return_eligibility(
        order or an_order(),
        reason,
        already_returned=already_returned,
        now=DELIVERED_AT + now_after_delivery,
        policy=policy,
    )


def test_eligible_order_is_allowed() -> None:
    assert decide() == EasyReturnDecision(allowed=True, reason=R.ELIGIBLE)


@pytest.mark.parametrize("flags", [{"easy_return": False}, {"trade_assurance": False}])
def test_order_outside_the_program_is_denied(flags: dict[str, bool]) -> None:
    assert decide(an_order(**flags)) == EasyReturnDecision(allowed=False, reason=R.NOT_IN_PROGRAM)


def test_an_order_is_returned_once() -> None:
    assert decide(already_returned=True).reason is R.ALREADY_RETURNED


def test_undelivered_order_cannot_be_returned() -> None:
    assert decide(an_order(delivered_at=None)).reason is R.NOT_DELIVERED


def test_return_is_allowed_up_to_30_days_after_delivery() -> None:
    assert decide(now_after_delivery=timedelta(days=30)).allowed
    assert decide(now_after_delivery=timedelta(days=30, seconds=1)).reason is R.WINDOW_CLOSED


def test_product_plus_shipping_up_to_3000_usd_is_allowed() -> None:
    # given exactly 2500 + 500 = 3000.00 USD it is allowed; one cent more is not
    assert decide(an_order(shipping_total=usd("500.00"))).allowed
    assert decide(an_order(shipping_total=usd("500.01"))).reason is R.VALUE_ABOVE_CAP


def test_shipping_country_must_be_on_the_policy_list() -> None:
    assert decide(an_order(shipping_country="BR")).reason is R.COUNTRY_NOT_ELIGIBLE
    assert decide(
        an_order(shipping_country="BR"), policy=LogisticsPolicy(easy_return_countries={"BR"})
    ).allowed


def test_iso_code_gb_counts_as_the_programme_country_uk() -> None:
    assert decide(an_order(shipping_country="GB")).allowed


@pytest.mark.parametrize("reason", [ReturnReason.CHANGED_MIND, ReturnReason.NO_LONGER_NEEDED])
def test_only_quality_reasons_qualify(reason: ReturnReason) -> None:
    assert decide(reason=reason).reason is R.NOT_A_QUALITY_REASON


def test_other_currencies_are_converted_with_the_policy_rate_table() -> None:
    # given 2 700 EUR at 1.1111 USD/EUR = 2999.97 USD, and 2 701 EUR = 3001.08 USD
    policy = LogisticsPolicy(usd_rates={"EUR": Decimal("1.1111")})
    eur = {"product_total": Money.from_major("2700.00", "EUR"), "shipping_total": Money.zero("EUR")}
    assert decide(an_order(**eur), policy=policy).allowed
    above = eur | {"product_total": Money.from_major("2701.00", "EUR")}
    assert decide(an_order(**above), policy=policy).reason is R.VALUE_ABOVE_CAP


def test_currency_without_a_rate_is_denied() -> None:
    jpy = {"product_total": Money(amount=1000, currency="JPY"), "shipping_total": Money.zero("JPY")}
    assert decide(an_order(**jpy)).reason is R.CURRENCY_NOT_CONVERTIBLE


def test_conversion_respects_the_currency_minor_unit() -> None:
    policy = LogisticsPolicy(usd_rates={"JPY": Decimal("0.0067"), "KWD": Decimal("3.25")})
    assert to_usd(Money(amount=150_000, currency="JPY"), policy) == usd("1005.00")
    assert to_usd(Money(amount=1_500, currency="KWD"), policy) == usd("4.88")


def test_easy_return_cap_is_held_in_usd() -> None:
    with pytest.raises(ValueError, match="USD"):
        LogisticsPolicy(easy_return_value_cap=Money.from_major("3000", "EUR"))


def test_conversion_rounds_half_a_cent_up() -> None:
    # given 0.02 GBP at 1.25 USD/GBP: 2.5 US cents
    policy = LogisticsPolicy(usd_rates={"GBP": Decimal("1.25")})
    # when it is converted for the cap
    # then the half cent rounds up, not to the even cent
    assert to_usd(Money(amount=2, currency="GBP"), policy) == Money(amount=3, currency="USD")
