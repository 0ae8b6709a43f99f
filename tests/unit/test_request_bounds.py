"""Every input a client can send is bounded in its published schema, so a large or odd value is a 422.

Strings carry a `maxLength` and refuse control characters (a `pattern`, unless an enum or a format narrows
them); arrays a `maxItems`; maps a `maxProperties` and bounded keys; integers and numbers a `maximum`; money
and quantities refuse `true`, `"100"` and `1E2`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any, get_args, get_origin

import pytest
from pydantic import BaseModel, FailFast, ValidationError

import services
from shared.http.routes import Api
from shared.money import MAX_MINOR_UNITS, MAX_QUANTITY, Money
from shared.sandbox import AdvanceClock

# Strings whose format bounds them already (a date is parsed, not stored as sent).
BOUNDED_FORMATS = {"date-time", "date", "time", "duration", "uuid"}
# A page size the service clamps to its maximum rather than refusing (tests/security/test_request_limits.py).
CLAMPED = {"ProductQuery.limit"}


def request_models() -> dict[str, type[BaseModel]]:
    """Every body and query model of every route of every service (the sandbox clock's included)."""
    models: dict[str, type[BaseModel]] = {"AdvanceClock": AdvanceClock}
    for module_info in pkgutil.walk_packages(services.__path__, "services."):
        if ".api." not in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for api in (value for value in vars(module).values() if isinstance(value, Api)):
            for route in api.routes:
                if route.input_model is not None:
                    models[f"{route.method} {route.path}"] = route.input_model
    return models


MODELS = request_models()


def unbounded(schema: dict[str, Any], defs: dict[str, Any], path: str) -> Iterator[str]:
    """The paths in `schema` where a client could send something unbounded."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        yield from unbounded(defs[name], defs, path)
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from unbounded(option, defs, path)
    kind = schema.get("type")
    if "enum" in schema or "const" in schema:
        return
    if kind == "string" and schema.get("format") not in BOUNDED_FORMATS:
        if "maxLength" not in schema:
            yield f"{path}: string without maxLength"
        if "pattern" not in schema:
            yield f"{path}: string that does not refuse control characters"
    bounded = {"maximum", "exclusiveMaximum"} & set(schema) or path in CLAMPED
    if kind in ("integer", "number") and not bounded:
        yield f"{path}: {kind} without maximum"
    if kind == "array":
        if "maxItems" not in schema:
            yield f"{path}: array without maxItems"
        yield from unbounded(schema.get("items", {}), defs, f"{path}[]")
    if kind == "object":
        for name, field in schema.get("properties", {}).items():
            yield from unbounded(field, defs, f"{path}.{name}")
        values = [schema.get("additionalProperties"), *schema.get("patternProperties", {}).values()]
        values = [value for value in values if isinstance(value, dict)]
        if values:
            if "maxProperties" not in schema:
                yield f"{path}: map without maxProperties"
            yield from unbounded(schema.get("propertyNames", {"type": "string"}), defs, f"{path}{{key}}")
        for value in values:
            yield from unbounded(value, defs, f"{path}{{}}")


@pytest.mark.parametrize("route", sorted(MODELS))
def test_every_request_field_is_bounded_in_the_published_schema(route: str) -> None:
    # Given the schema a route publishes for its input
    schema = MODELS[route].model_json_schema(mode="validation")

    # When every field of it is walked
    found = list(unbounded(schema, schema.get("$defs", {}), MODELS[route].__name__))

    # Then none is left without a bound
    assert found == []


@pytest.mark.parametrize("amount", ["true", '"100"', "1E2", "100.0", str(MAX_MINOR_UNITS + 1)])
def test_an_amount_is_a_strict_integer_within_the_platform_bound(amount: str) -> None:
    with pytest.raises(ValidationError):
        Money.model_validate_json(f'{{"amount": {amount}, "currency": "USD"}}')
    assert (
        Money.model_validate_json(f'{{"amount": {MAX_MINOR_UNITS}, "currency": "USD"}}').amount
        == MAX_MINOR_UNITS
    )


def test_a_quantity_bound_times_an_amount_bound_is_still_an_ordinary_integer_to_check() -> None:
    # The product of the two bounds is checked (AmountOutOfRange), never an overflow of 64-bit storage.
    assert MAX_MINOR_UNITS < 2**53
    assert MAX_MINOR_UNITS * MAX_QUANTITY < 2**127


def collections_without_fail_fast(model: type[BaseModel], seen: set[type[BaseModel]]) -> Iterator[str]:
    """Array and map fields that would validate (and report) every element of an oversized input."""
    if model in seen:
        return
    seen.add(model)
    for name, field in model.model_fields.items():
        for kind in _types_in(field.annotation):
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                yield from collections_without_fail_fast(kind, seen)
        collection = any(
            get_origin(kind) in (list, tuple, set, frozenset, dict) for kind in _types_in(field.annotation)
        )
        if collection and not any(isinstance(item, FailFast) and item.fail_fast for item in field.metadata):
            yield f"{model.__name__}.{name}"


def _types_in(annotation: Any) -> Iterator[Any]:
    yield annotation
    for argument in get_args(annotation):
        yield from _types_in(argument)


@pytest.mark.parametrize("route", sorted(MODELS))
def test_an_oversized_array_is_refused_at_its_first_bad_element_not_after_listing_all(route: str) -> None:
    # A 200,000-element array of wrong items cost 1.3 s of CPU and a 19.5 MB answer listing each one.
    assert list(collections_without_fail_fast(MODELS[route], set())) == []
