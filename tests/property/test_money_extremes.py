"""Money inputs at their extremes: an amount or quantity is an integer within its bounds or it is refused, and
arithmetic on bounded money is exact or refused as out of range (a 422), never an overflow or a float."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from shared.money import MAX_MINOR_UNITS, MAX_QUANTITY, AmountOutOfRange, Money, Quantity

CURRENCIES = st.sampled_from(["USD", "JPY", "KWD"])


def around(*edges: int) -> st.SearchStrategy[int]:
    """Integers at, just inside and just outside each edge, and anywhere well beyond them."""
    near = [edge + step for edge in edges for step in (-1, 0, 1)]
    return st.one_of(st.sampled_from(near), st.integers(min_value=-(2**70), max_value=2**70))


AMOUNTS = around(-MAX_MINOR_UNITS, 0, MAX_MINOR_UNITS, 2**53, 2**62, 2**63)
QUANTITIES = around(0, 1, MAX_QUANTITY, 2**62)
NOT_INTEGERS = st.one_of(
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers().map(str),
    st.sampled_from(["1E2", "100.0", "NaN", "Infinity"]),
    st.none(),
)


def bounded(amount: int) -> bool:
    return -MAX_MINOR_UNITS <= amount <= MAX_MINOR_UNITS


@given(amount=AMOUNTS, currency=CURRENCIES)
def test_an_amount_is_accepted_only_as_an_integer_within_its_bounds(amount: int, currency: str) -> None:
    body = json.dumps({"amount": amount, "currency": currency})
    if bounded(amount):
        assert Money.model_validate_json(body).amount == amount
    else:
        with pytest.raises(ValidationError) as refused:
            Money.model_validate_json(body)
        assert [item["loc"] for item in refused.value.errors()] == [("amount",)]


@given(raw=NOT_INTEGERS)
def test_an_amount_that_is_not_a_json_integer_is_refused(raw: Any) -> None:
    body = json.dumps({"amount": raw, "currency": "USD"}).replace('"1E2"', "1E2").replace('"100.0"', "100.0")
    with pytest.raises(ValidationError) as refused:
        Money.model_validate_json(body)
    assert [item["loc"] for item in refused.value.errors()] == [("amount",)]


@given(quantity=st.one_of(QUANTITIES, NOT_INTEGERS))
def test_a_quantity_is_a_positive_integer_up_to_its_maximum(quantity: Any) -> None:
    adapter: TypeAdapter[int] = TypeAdapter(Quantity)
    if type(quantity) is int and 1 <= quantity <= MAX_QUANTITY:
        assert adapter.validate_json(json.dumps(quantity)) == quantity
    else:
        with pytest.raises(ValidationError):
            adapter.validate_json(json.dumps(quantity))


@given(
    price=AMOUNTS.filter(bounded),
    quantity=QUANTITIES.filter(lambda q: 1 <= q <= MAX_QUANTITY),
    currency=CURRENCIES,
)
def test_a_bounded_price_times_a_bounded_quantity_is_exact_or_refused_as_out_of_range(
    price: int, quantity: int, currency: str
) -> None:
    unit_price = Money(amount=price, currency=currency)
    if bounded(price * quantity):
        assert unit_price.times(quantity).amount == price * quantity
    else:
        with pytest.raises(AmountOutOfRange) as refused:
            unit_price.times(quantity)
        assert refused.value.amount == price * quantity


@given(a=AMOUNTS.filter(bounded), b=AMOUNTS.filter(bounded), currency=CURRENCIES)
def test_sums_and_differences_of_bounded_money_are_exact_or_refused(a: int, b: int, currency: str) -> None:
    left, right = Money(amount=a, currency=currency), Money(amount=b, currency=currency)
    for exact, compute in ((a + b, left.__add__), (a - b, left.__sub__)):
        if bounded(exact):
            assert compute(right).amount == exact
        else:
            with pytest.raises(AmountOutOfRange):
                compute(right)


@given(
    amount=AMOUNTS.filter(bounded),
    basis_points=st.integers(min_value=0, max_value=10_000),
    currency=CURRENCIES,
)
def test_a_fee_of_any_bounded_amount_is_never_more_than_the_amount(
    amount: int, basis_points: int, currency: str
) -> None:
    fee = Money(amount=amount, currency=currency).fraction_bps(basis_points)

    assert abs(fee.amount) <= abs(amount)
    assert abs(fee.amount * 10_000 - amount * basis_points) <= 5_000
