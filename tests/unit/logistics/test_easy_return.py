from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.logistics.domain.easy_return import (
    EasyReturnDecision,
    EligibilityReason,
    ReturnableOrder,
    easy_return_eligibility,
)
from services.logistics.domain.policy import LogisticsPolicy
from shared.contracts.logistics import ReturnReason
from shared.money import Money
from tests.support.protection import easy_return

from .builders import FUNDED_AT, POLICY, usd

DELIVERED_AT = FUNDED_AT + timedelta(days=8)
R = EligibilityReason


def an_order(**overrides: Any) -> ReturnableOrder:
    fields: dict[str, Any] = {
        "order_id": "order-1",
        "shipment_id": "shipment-1",
        "buyer_id": "buyer-1",
        "supplier_id": "supplier-1",
        "easy_return": easy_return("USD"),
        "product_total": usd("2500.00"),
        "shipping_total": usd("500.00"),
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


def test_an_order_its_quote_did_not_promise_easy_return_is_denied() -> None:
    not_promised = an_order(easy_return=easy_return("USD", eligible=False))
    assert decide(not_promised) == EasyReturnDecision(allowed=False, reason=R.NOT_IN_PROGRAM)


def test_an_order_is_returned_once() -> None:
    assert decide(already_returned=True).reason is R.ALREADY_RETURNED


def test_undelivered_order_cannot_be_returned() -> None:
    assert decide(an_order(delivered_at=None)).reason is R.NOT_DELIVERED


def test_return_is_allowed_up_to_30_days_after_delivery() -> None:
    assert decide(now_after_delivery=timedelta(days=30)).allowed
    assert decide(now_after_delivery=timedelta(days=30, seconds=1)).reason is R.WINDOW_CLOSED


def test_the_return_window_is_the_one_the_contract_recorded() -> None:
    # given an order promised a 45-day window when it was quoted
    longer = an_order(easy_return=easy_return("USD", window_days=45))
    # then a return on day 40 is within it, whatever the programme's window is today
    assert decide(longer, now_after_delivery=timedelta(days=40)).allowed


def test_product_plus_shipping_up_to_3000_usd_is_allowed() -> None:
    # given exactly 2500 + 500 = 3000.00 USD it is allowed; one cent more is not
    assert decide(an_order(shipping_total=usd("500.00"))).allowed
    assert decide(an_order(shipping_total=usd("500.01"))).reason is R.VALUE_ABOVE_CAP


@pytest.mark.parametrize("reason", [ReturnReason.CHANGED_MIND, ReturnReason.NO_LONGER_NEEDED])
def test_only_quality_reasons_qualify(reason: ReturnReason) -> None:
    assert decide(reason=reason).reason is R.NOT_A_QUALITY_REASON


def test_an_order_in_any_currency_is_judged_against_the_cap_its_quote_converted() -> None:
    # given yen and dinar orders promised Easy Return, each with the US$3,000 cap at its own rate
    for currency in ("JPY", "KWD", "EUR"):
        terms = easy_return(currency)
        at_cap = an_order(
            easy_return=terms, product_total=terms.value_cap, shipping_total=Money.zero(currency)
        )
        # then exactly the cap is allowed, and one minor unit more is not: no rate is looked up again
        assert decide(at_cap).allowed
        above = at_cap.model_copy(update={"shipping_total": Money(amount=1, currency=currency)})
        assert decide(above).reason is R.VALUE_ABOVE_CAP
