"""OpenAPI links from each creating POST to the operations on the resource it created.

`POST /v1/products` answering 201 `{"id": ...}` links to `GET /v1/products/{product_id}`, its PATCH and
`.../{product_id}/reviews`, so clients and stateful fuzzers learn where a new resource lives. The new
identifier is the response field named like the path parameter, else a top-level resource's `id`;
parameters the creating path already has are passed on from the request. A target needing anything else
is not linked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_VARIABLE = re.compile(r"\{(\w+)\}")
CREATED = "201"


def add_links(paths: Mapping[str, Mapping[str, dict[str, Any]]], definitions: Mapping[str, Any]) -> None:
    """Add `links` to every POST's 201 response, in place."""
    operations = [
        (path, method, operation) for path, items in paths.items() for method, operation in items.items()
    ]
    for path, method, creator in operations:
        created = creator["responses"].get(CREATED)
        if method != "post" or created is None:
            continue
        fields = _response_fields(created, definitions)
        links = {
            target["operationId"]: {"operationId": target["operationId"], "parameters": parameters}
            for target_path, _, target in operations
            if (parameters := _link_parameters(path, target_path, fields)) is not None
        }
        if links:
            created["links"] = links


def _response_fields(response: Mapping[str, Any], definitions: Mapping[str, Any]) -> set[str]:
    reference = response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
    return set(definitions.get(reference.rsplit("/", 1)[-1], {}).get("properties", {}))


def _link_parameters(creator: str, target: str, fields: set[str]) -> dict[str, str] | None:
    """Runtime expressions for every path parameter of `target`, when it lives under the created resource."""
    prefix = creator + "/"
    created = _VARIABLE.fullmatch(target.removeprefix(prefix).split("/", 1)[0])
    if not target.startswith(prefix) or created is None:
        return None
    known = set(_VARIABLE.findall(creator))
    parameters: dict[str, str] = {}
    for name in _VARIABLE.findall(target):
        if name in known:
            parameters[name] = f"$request.path.{name}"
        elif name == created.group(1) and name in fields:
            parameters[name] = f"$response.body#/{name}"
        elif name == created.group(1) and "id" in fields and not known:
            # A bare `id` names the created resource only at the top level; a nested POST may well answer
            # with its parent (`POST /suppliers/{id}/certifications` returns the supplier).
            parameters[name] = "$response.body#/id"
        else:
            return None
    return parameters
