"""Easy Return as a quote promises it: decided once, from the facts a return will later be judged on."""

from __future__ import annotations

from services.catalog.domain.policy import EasyReturnPolicy
from services.catalog.domain.product import Product
from shared.contracts.catalog import EasyReturnOffer, EasyReturnTerms
from shared.money import ExchangeRate, Money


def easy_return_terms(
    product: Product, destination: str, total: Money, rate: ExchangeRate, policy: EasyReturnPolicy
) -> EasyReturnTerms:
    """Offered on a Trade Assurance listing, shipped to an eligible country, product + shipping within the
    USD cap converted at the quote's own rate: the one rate the order keeps."""
    cap = rate.from_usd(policy.value_cap)
    country = policy.country_aliases.get(destination, destination)
    if not product.easy_return:
        reason = EasyReturnOffer.NOT_OFFERED
    elif not product.trade_assurance:
        reason = EasyReturnOffer.NOT_TRADE_ASSURANCE
    elif country not in policy.countries:
        reason = EasyReturnOffer.COUNTRY_NOT_ELIGIBLE
    elif cap < total:
        reason = EasyReturnOffer.VALUE_ABOVE_CAP
    else:
        reason = EasyReturnOffer.ELIGIBLE
    return EasyReturnTerms(
        eligible=reason is EasyReturnOffer.ELIGIBLE,
        reason=reason,
        value_cap=cap,
        window_days=policy.window_days,
    )


def no_easy_return(reason: EasyReturnOffer, rate: ExchangeRate, policy: EasyReturnPolicy) -> EasyReturnTerms:
    """Terms of an order the programme does not cover (a sample order), with the cap it would have had."""
    return EasyReturnTerms(
        eligible=False,
        reason=reason,
        value_cap=rate.from_usd(policy.value_cap),
        window_days=policy.window_days,
    )
