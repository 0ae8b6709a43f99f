"""The platform's bounds on what a client sends: amounts, text, attribute names, and the 422 that says so."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from shared.http.problems import MAX_LISTED_ERRORS, problem_for, validation_problem
from shared.money import MAX_MINOR_UNITS, AmountOutOfRange, CurrencyMismatch, Money, computing
from shared.text import AttributeKey, PlainText


def usd(amount: int) -> Money:
    return Money(amount=amount, currency="USD")


def test_arithmetic_that_would_leave_the_amount_bound_raises_amount_out_of_range() -> None:
    # Given the largest amount the platform holds
    largest = usd(MAX_MINOR_UNITS)

    # When it grows by a single unit, or is multiplied, then the result is refused, never stored
    with pytest.raises(AmountOutOfRange):
        largest + usd(1)
    with pytest.raises(AmountOutOfRange):
        usd(2**31).times(2**31)
    assert (largest - usd(1)).amount == MAX_MINOR_UNITS - 1


def test_a_computed_total_out_of_bounds_is_a_422_naming_the_total() -> None:
    # Given a total computed from a bounded price and a bounded quantity that together leave the bound
    with pytest.raises(AmountOutOfRange) as raised, computing("total"):
        usd(MAX_MINOR_UNITS).times(10**9)

    # When it is answered
    problem = problem_for(raised.value, {})

    # Then the client learns which field, and that it is its input that cannot be served
    assert problem is not None
    assert (problem.status, problem.type_slug) == (422, "amount-out-of-range")
    assert problem.errors is not None
    assert [error["field"] for error in problem.errors] == ["total"]


def test_two_currencies_combined_are_a_422_not_a_500() -> None:
    with pytest.raises(CurrencyMismatch) as raised:
        usd(1) + Money(amount=1, currency="EUR")

    problem = problem_for(raised.value, {})

    assert problem is not None
    assert problem.status == 422


class Tags(BaseModel):
    tags: list[int] = Field(max_length=1_000_000)


def test_a_422_lists_at_most_twenty_errors_and_says_how_many_there_were() -> None:
    # Given a body with 500 wrong elements
    with pytest.raises(ValidationError) as raised:
        Tags.model_validate_json(json.dumps({"tags": ["x"] * 500}))

    # When it is answered
    document = validation_problem(raised.value).to_dict()

    # Then the answer lists the first few, and counts them all
    assert len(document["errors"]) == MAX_LISTED_ERRORS
    assert document["error_count"] == 500
    assert document["errors"][0]["field"] == "tags.0"


PLAIN = TypeAdapter(PlainText)


@pytest.mark.parametrize(
    "text",
    ["nul\x00byte", "bell\x07", "escape\x1b[31m", "del\x7f", "c1\x85", "bidi\u202eevil", "isolate\u2066x"],
    ids=["nul", "bell", "escape", "delete", "c1", "right-to-left-override", "isolate"],
)
def test_text_refuses_control_and_bidi_override_characters(text: str) -> None:
    with pytest.raises(ValidationError):
        PLAIN.validate_python(text)


def test_text_keeps_tabs_newlines_and_any_script() -> None:
    text = "Line one\r\n\tقطعة 二 — ü"
    assert PLAIN.validate_python(text) == text


KEYS = TypeAdapter(AttributeKey)


@pytest.mark.parametrize("key", ["co\x00lor", "$where", "color.primary", "", "k" * 65])
def test_an_attribute_key_refuses_nul_a_leading_dollar_a_dot_and_excess_length(key: str) -> None:
    # A NUL byte in a key was a 500 (MongoDB's InvalidDocument); `$`/`.` keys read as operators and paths.
    with pytest.raises(ValidationError):
        KEYS.validate_python(key)


def test_an_attribute_key_may_name_anything_else() -> None:
    assert KEYS.validate_python("Größe (cm) $") == "Größe (cm) $"
