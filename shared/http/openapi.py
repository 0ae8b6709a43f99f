"""OpenAPI 3.1 built from the route table and the pydantic models' JSON Schemas."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from shared.http.idempotency import HEADER as IDEMPOTENCY_HEADER
from shared.http.links import add_links
from shared.http.pages import Page
from shared.http.problems import (
    MAX_LISTED_ERRORS,
    PROBLEM_CONTENT_TYPE,
    SIGNATURE_INVALID,
    STALE,
    ErrorStatuses,
    problem_slug,
    status_of,
)
from shared.http.routes import Api, Route
from shared.mongo import DatabaseUnavailable

REF_TEMPLATE = "#/components/schemas/{model}"
# aiohttp path variables may carry a regex (`{id:\d+}`); OpenAPI wants the bare name.
_PATH_VARIABLE = re.compile(r"\{(\w+)(?::[^}]*)?\}")

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "error_count": {"type": "integer", "description": "How many errors the input had (422)."},
        "errors": {
            "type": "array",
            "description": (
                f"On every 422, whether pydantic or a domain rule refused the input: the offending fields, "
                f"at most {MAX_LISTED_ERRORS} of them."
            ),
            "maxItems": MAX_LISTED_ERRORS,
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {
                        "type": "string",
                        "description": (
                            "Dotted path of the offending input field (`items.0.quantity`); empty when a"
                            " domain rule refuses the request as a whole."
                        ),
                    },
                    "message": {"type": "string"},
                },
            },
        },
    },
}

# A route answering each audience its own view (`PerAudience`) documents them all.
AUDIENCES = (
    "One view per audience, the richest first: ops and the object's own parties may see more than others"
    " (staff ids, verification references, the reviewer's identity)."
)

# Every list answers the next page's address the RFC 8288 way too, for clients that follow links.
NEXT_LINK_HEADER: dict[str, Any] = {
    "description": 'RFC 8288 link to the next page (`<...>; rel="next"`); absent on the last page.',
    "schema": {"type": "string"},
}


@dataclass(frozen=True)
class Configured:
    """What the service's configuration decides and its document states: the status of each domain error
    (`raises`), and how old a provider webhook's signature may be (None: the service takes no webhooks)."""

    error_statuses: ErrorStatuses = field(default_factory=dict)
    webhook_tolerance_seconds: int | None = None


def build_openapi(
    *, title: str, version: str, apis: Sequence[Api], configured: Configured | None = None
) -> dict[str, Any]:
    refs, definitions = _schemas([route for api in apis for route in api.routes])
    paths: dict[str, dict[str, Any]] = {}
    for api in apis:
        for route in api.routes:
            operation = _operation(route, refs, definitions, configured or Configured(), api.database)
            if api.tag:
                operation["tags"] = [api.tag]
            paths.setdefault(_PATH_VARIABLE.sub(r"{\1}", route.path), {})[route.method.lower()] = operation
    add_links(paths, definitions)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": {**definitions, "Problem": PROBLEM_SCHEMA},
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            "parameters": {
                "IdempotencyKey": {
                    "name": IDEMPOTENCY_HEADER,
                    "in": "header",
                    "required": False,
                    "description": "Retries with the same key and body replay the first response.",
                    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                }
            },
        },
    }


# Keyed like pydantic keys them: (model, mode) → `{"$ref": ...}`.
Refs = Mapping[tuple[type[Any], JsonSchemaMode], dict[str, Any]]


def _schemas(routes: Sequence[Route]) -> tuple[Refs, dict[str, Any]]:
    # Inputs are documented as they are validated, responses as they are serialised.
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = []
    for route in routes:
        if route.input_model is not None:
            wanted.append((route.input_model, "validation"))
        if route.signed_body is not None:
            wanted.append((route.signed_body, "validation"))
        wanted += [(model, "serialization") for model in route.response_models]
    refs, document = models_json_schema(list(dict.fromkeys(wanted)), ref_template=REF_TEMPLATE)
    definitions = dict(document.get("$defs", {}))
    _refuse_ambiguous_names(definitions)
    return refs, definitions


class AmbiguousSchema(ValueError):
    """Two schemas of one document share a title: client generators refuse (or silently merge) them."""


def _refuse_ambiguous_names(definitions: Mapping[str, Any]) -> None:
    """A schema's title is its class's name, and a generator names a class after it: one title, one class.

    Two schemas share a title when two classes share a name, or when pydantic splits a model read and
    written in different shapes into `X-Input` and `X-Output`, both titled X (a domain type on both sides
    of the API): give each side an api/ model. `Problem` is the platform's own problem+json schema.
    """
    titles: dict[str, list[str]] = {}
    for key, schema in definitions.items():
        titles.setdefault(str(schema.get("title", key)), []).append(key)
    if "Problem" in definitions or "Problem" in titles:
        raise AmbiguousSchema("a model is named Problem, the name of the platform's problem+json schema")
    clashes = {title: keys for title, keys in titles.items() if len(keys) > 1}
    if clashes:
        raise AmbiguousSchema(f"schemas share a title, give each side its own api model: {clashes}")


def _operation(
    route: Route, refs: Refs, definitions: dict[str, Any], configured: Configured, database: bool
) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": route.handler.__name__, "summary": route.summary}
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PATH_VARIABLE.findall(route.path)
    ]
    if route.input_model is not None and route.input_from == "query":
        parameters += _query_parameters(refs[(route.input_model, "validation")], definitions)
    elif route.input_model is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(route.input_model, "validation")]}},
        }
    if route.is_mutating:
        parameters.append({"$ref": "#/components/parameters/IdempotencyKey"})
    if route.signature_header is not None:
        operation["description"] = _webhook_description(route.signature_header, configured)
        parameters.append(
            {
                "name": route.signature_header,
                "in": "header",
                "required": True,
                "description": SIGNATURE_FORMAT,
                "schema": {"type": "string", "examples": [SIGNATURE_EXAMPLE]},
            }
        )
    if route.signed_body is not None:
        operation["requestBody"] = {
            "required": True,
            "description": "The provider's event, read only once the signature of its raw bytes checks out.",
            "content": {"application/json": {"schema": refs[(route.signed_body, "validation")]}},
        }
    if parameters:
        operation["parameters"] = parameters
    operation["responses"] = _responses(route, refs, configured.error_statuses, database)
    if route.roles is None:
        operation["security"] = []
    else:
        operation["security"] = [{"bearerAuth": []}]
        operation["x-roles"] = sorted(role.value for role in route.roles)
    return operation


def _query_parameters(ref: dict[str, Any], definitions: dict[str, Any]) -> list[dict[str, Any]]:
    schema = definitions[ref["$ref"].rsplit("/", 1)[-1]]
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": property_schema}
        for name, property_schema in schema.get("properties", {}).items()
    ]


SIGNATURE_FORMAT = (
    "`t=<unix seconds>,v1=<hex>`: `v1` is the lowercase hex HMAC-SHA256, keyed with the endpoint's shared"
    " secret, of `<t>.` followed by the raw body bytes. Several `v1=` entries may be sent; any one made with"
    " an active secret matches (secret rotation)."
)
SIGNATURE_EXAMPLE = "t=1796392071,v1=" + "5f" * 32


def _webhook_description(header: str, configured: Configured) -> str:
    tolerance = configured.webhook_tolerance_seconds
    if tolerance is None:
        raise ValueError(f"a webhook route ({header}) needs the service's webhook tolerance documented")
    return (
        f"Sent by a provider, which proves itself by the `{header}` header instead of a token:"
        f" {SIGNATURE_FORMAT} A delivery whose `t` is more than {tolerance} s from our clock, either way, is"
        f" refused as stale: {STALE.status} `{STALE.type_slug}`, and it changes nothing. Missing, malformed"
        f" or not matching: {SIGNATURE_INVALID.status} `{SIGNATURE_INVALID.type_slug}`. Each event is applied"
        " once; a redelivery of it is acknowledged and changes nothing."
    )


def _responses(route: Route, refs: Refs, statuses: ErrorStatuses, database: bool) -> dict[str, Any]:
    success: dict[str, Any] = {"description": route.summary or "Success."}
    views = [refs[(model, "serialization")] for model in route.response_models]
    if views:
        schema = views[0] if len(views) == 1 else {"anyOf": views, "description": AUDIENCES}
        success["content"] = {"application/json": {"schema": schema}}
    if any(issubclass(model, Page) for model in route.response_models):
        success["headers"] = {"Link": NEXT_LINK_HEADER}
    responses: dict[str, Any] = {str(route.status): success}
    for status, description in _standard_problems(route):
        _add_problem(responses, status, description)
    if route.roles is not None:
        limited = _add_problem(
            responses,
            429,
            "`rate-limited`: the caller (the token's subject) sent more requests than this replica admits"
            " from one caller; `Retry-After` says when one is admitted again.",
        )
        limited["headers"] = {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer", "minimum": 1}}
        }
    for error in route.raises:
        _add_raised(responses, error, statuses)
    if database:
        _add_raised(responses, DatabaseUnavailable, statuses)
    responses["default"] = _problem_response("Any other error.")
    return responses


def _standard_problems(route: Route) -> list[tuple[int, str]]:
    """The problems the platform itself may answer a route with, declared once from the route's traits."""
    has_body = route.input_model is not None and route.input_from == "body"
    problems: list[tuple[int, str]] = []
    if has_body or route.is_mutating:
        problems.append((400, "The body is not valid JSON, or the Idempotency-Key is malformed."))
    if route.roles is not None:
        problems += [(401, "Missing or invalid bearer token."), (403, "The caller's role may not do this.")]
    if route.signature_header is not None:
        problems += [
            (
                SIGNATURE_INVALID.status,
                f"`{SIGNATURE_INVALID.type_slug}`: missing, malformed or not matching.",
            ),
            (
                STALE.status,
                f"`{STALE.type_slug}`: signed outside the tolerance window (see the description).",
            ),
        ]
    if _PATH_VARIABLE.search(route.path) or route.input_model is not None:
        problems.append((404, "A resource named in the path or the input does not exist."))
    if route.is_mutating:
        problems += [
            (
                409,
                "The resource's state forbids this, or a request with the same Idempotency-Key is running.",
            ),
            (408, "`request-timeout`: the body did not arrive in time; the connection is closed."),
            (413, "The body is larger than the service accepts."),
        ]
    if route.input_model is not None or route.is_mutating:
        problems.append(
            (422, "The input is not valid (`errors` names each field), or the Idempotency-Key was reused.")
        )
    return problems


def _add_raised(responses: dict[str, Any], error: type[Exception], statuses: ErrorStatuses) -> None:
    """Document a domain error the route answers, under the status the service maps it to."""
    status = status_of(error, statuses)
    if status is None:
        raise ValueError(f"{error.__name__} is no failure the service answers with a problem")
    slug = problem_slug(error)
    response = _add_problem(responses, status, f"`{slug}`: " + (error.__doc__ or "").strip().split("\n")[0])
    retry_after = getattr(error, "retry_after_seconds", None)
    if retry_after is not None:
        response.setdefault("headers", {})["Retry-After"] = {
            "description": f"Seconds to wait before asking again ({retry_after} for `{slug}`).",
            "schema": {"type": "integer", "minimum": 0},
        }


def _add_problem(responses: dict[str, Any], status: int, description: str) -> dict[str, Any]:
    """Declare a problem response; several problems of one status share it, their descriptions joined."""
    response: dict[str, Any] = responses.setdefault(str(status), _problem_response(""))
    response["description"] = " Or ".join(filter(None, (response["description"], description)))
    return response


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
