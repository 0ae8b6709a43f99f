"""No list of any service shows another buyer or supplier anything of a trade they are not party to.

Every list each service's /openapi.json declares (a GET answering a page with `next_cursor`) is read,
every page of it, by an intruding buyer and an intruding supplier, with the trade's parties and order
named in whichever filters the list offers: a filter narrows the caller's own items and never widens
them. The trade's private ids (its orders, shipment, return, inspection, claim, request) must not appear.
A list the role may not read answers 403.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from deploy.local.client import PlatformClient
from deploy.local.stack import SERVICES
from tests.security.probe import send
from tests.security.trade import Trade

PRIVATE = ("order_id", "shipment_id", "return_id", "inspection_id", "claim_id", "request_id")
MAX_PAGES = 20


def _is_page(operation: dict[str, Any], schemas: dict[str, Any]) -> bool:
    content = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
    reference = content.get("schema", {}).get("$ref", "")
    return "next_cursor" in schemas.get(reference.rsplit("/", 1)[-1], {}).get("properties", {})


async def list_operations(client: PlatformClient) -> list[tuple[str, str, dict[str, Any]]]:
    """(service, path, operation) of every list: collection GETs whose answer is a page."""
    found = []
    for service in SERVICES:
        document = await client.call(service, "GET", "/openapi.json")
        schemas = document["components"]["schemas"]
        for path, operations in document["paths"].items():
            operation = operations.get("get")
            if operation and "{" not in path and _is_page(operation, schemas):
                found.append((service, path, operation))
    return found


def _filters_naming_the_trade(operation: dict[str, Any], trade: Trade) -> dict[str, str]:
    offered = {parameter["name"] for parameter in operation.get("parameters", [])}
    naming = {
        "buyer_id": trade.completed.buyer_id,
        "supplier_id": trade.seller.supplier_id,
        "order_id": trade.ids["order_id"],
    }
    return {name: value for name, value in naming.items() if name in offered}


async def test_no_list_shows_an_intruder_anything_of_a_trade_even_when_filtering_by_its_parties(
    trade: Trade,
) -> None:
    client = trade.client
    lists = await list_operations(client)
    private = {trade.ids[name] for name in PRIVATE}
    read = 0
    for service, path, operation in lists:
        for role in ("buyer", "supplier"):
            token = client.token(
                f"{role}-intruder-{uuid.uuid4().hex[:6]}", role, "standard" if role == "buyer" else None
            )
            for params in ({}, _filters_naming_the_trade(operation, trade)):
                cursor: str | None = None
                for _ in range(MAX_PAGES):
                    query = {**params, "limit": "100", **({"cursor": cursor} if cursor else {})}
                    answer = await send(client, service, "GET", path, token=token, params=query)
                    if role not in operation["x-roles"]:
                        assert answer.is_problem(403), (service, path, role, answer)
                        break
                    assert answer.status == 200, (service, path, role, params, answer)
                    shown = json.dumps(answer.body)
                    assert not [i for i in private if i in shown], (service, path, role, params)
                    read += 1
                    cursor = answer.body["next_cursor"]
                    if cursor is None:
                        break
    # Escrow's orders alone are read by both intruders, with and without the trade's filters.
    assert read >= 4, lists
