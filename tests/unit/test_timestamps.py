"""One timestamp format in every response and event: RFC 3339, UTC, `Z`, milliseconds (shared.clock).

The four services' OpenAPI documents and the AsyncAPI document state it for every date-time they write;
a model that writes a datetime any other way (a bare `datetime`, `AwareDatetime`) fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import BaseModel

from deploy.asyncapi import build_document, built_apps
from shared.clock import RFC3339_UTC_MILLIS, UtcDateTime
from shared.http.app import OPENAPI

# A string property named like a timestamp must be one: a plain `str` holding a time has no format to check.
TIMESTAMP_NAME = re.compile(r"(_at|_since|_from|_until|^time|^now)$")


def openapi_documents() -> dict[str, dict[str, Any]]:
    return {service: app[OPENAPI] for service, app in built_apps(sandbox=True)}


def response_schemas(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema a response of the document is written with, reached from the responses themselves."""
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                for content in response.get("content", {}).values():
                    yield f"{method.upper()} {path} {status}", content["schema"]


def date_times(
    schema: Any, document: dict[str, Any], where: str, seen: set[str]
) -> Iterator[tuple[str, Any]]:
    """(where, schema) of every property written as a timestamp, following $refs once each."""
    if isinstance(schema, list):
        for item in schema:
            yield from date_times(item, document, where, seen)
        return
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            yield from date_times(document["components"]["schemas"][name], document, name, seen)
        return
    for name, property_schema in schema.get("properties", {}).items():
        if _has_date_time(property_schema) or (TIMESTAMP_NAME.search(name) and _is_string(property_schema)):
            yield f"{where}.{name}", property_schema
    for key, value in schema.items():
        if key != "properties":
            yield from date_times(value, document, where, seen)
        else:
            for property_schema in value.values():
                yield from date_times(property_schema, document, where, seen)


def _is_string(schema: dict[str, Any]) -> bool:
    return any(option.get("type") == "string" for option in schema.get("anyOf", [schema]))


def _has_date_time(schema: Any) -> bool:
    if isinstance(schema, dict):
        if schema.get("format") == "date-time":
            return True
        return any(_has_date_time(option) for option in schema.get("anyOf", []))
    return False


def declared_in_one_format(schema: dict[str, Any]) -> bool:
    """The schema (or its non-null option) is a date-time string with the platform's pattern."""
    options = [option for option in schema.get("anyOf", [schema]) if option.get("type") != "null"]
    return bool(options) and all(
        option.get("format") == "date-time" and option.get("pattern") == RFC3339_UTC_MILLIS
        for option in options
    )


def test_every_date_time_a_response_writes_is_declared_rfc3339_utc_milliseconds() -> None:
    # Given the four services' OpenAPI documents
    wrong: list[str] = []
    found = 0
    for service, document in openapi_documents().items():
        # When we walk every schema their responses are written with
        seen: set[str] = set()
        for where, schema in response_schemas(document):
            for field, property_schema in date_times(schema, document, where, seen):
                found += 1
                if not declared_in_one_format(property_schema):
                    wrong.append(f"{service}: {field} {property_schema}")

    # Then each timestamp declares the one format
    assert found > 20
    assert wrong == []


def test_every_date_time_an_event_carries_is_declared_rfc3339_utc_milliseconds() -> None:
    # Given the AsyncAPI document of every event
    document = build_document()

    # When we walk every schema of its components (the envelope and each event's payload)
    wrong = [
        f"{field} {schema}"
        for name, component in document["components"]["schemas"].items()
        for field, schema in date_times(component, document, name, set())
        if not declared_in_one_format(schema)
    ]

    # Then each timestamp declares the one format
    assert wrong == []
    assert declared_in_one_format(document["components"]["schemas"]["Envelope"]["properties"]["occurred_at"])


class Stamped(BaseModel):
    at: UtcDateTime


@pytest.mark.parametrize(
    ("given", "written"),
    [
        (
            datetime(2026, 12, 4, 16, 7, 51, 123999, tzinfo=timezone(timedelta(hours=2))),
            "2026-12-04T14:07:51.123Z",
        ),
        (datetime(2026, 12, 4, 14, 7, 51, tzinfo=UTC), "2026-12-04T14:07:51.000Z"),
    ],
)
def test_a_timestamp_is_written_in_utc_with_milliseconds_cut_as_mongodb_cuts_them(
    given: datetime, written: str
) -> None:
    # When a datetime in any offset, with any precision, is written as JSON
    text = Stamped(at=given).model_dump_json()

    # Then it is the UTC instant to the millisecond, `Z`-suffixed, and it reads back as that instant
    assert text == f'{{"at":"{written}"}}'
    assert re.match(RFC3339_UTC_MILLIS, written)
    assert Stamped.model_validate_json(text).at == given.replace(microsecond=given.microsecond // 1000 * 1000)
