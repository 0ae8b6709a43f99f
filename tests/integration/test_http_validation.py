"""Every service's HTTP edge: bad input is refused as problem+json naming the field, and changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import BaseModel, ConfigDict, Field
from pymongo.asynchronous.database import AsyncDatabase

from shared.http.app import ReadinessCheck, create_app
from shared.http.routes import Api, principal
from shared.metrics import PlatformMetrics
from shared.mongo import Document
from shared.security.jwt import TokenVerifier
from shared.security.keys import ensure_dev_keys, mint_token
from shared.security.roles import Role
from shared.settings import ServiceSettings

PROBLEM = "application/problem+json"
Client = TestClient[web.Request, web.Application]


class OrderLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sku: str
    quantity: int = Field(gt=0)


class PlaceOrder(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[OrderLine] = Field(min_length=1)


class OrderView(BaseModel):
    order_id: str
    buyer_id: str
    items: list[OrderLine]


class OrderSearch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    limit: int = Field(default=20, ge=1, le=100)
    sku: list[str] = Field(default_factory=list)


class OrderPage(BaseModel):
    limit: int
    sku: list[str]


class OrderRefused(Exception):
    code = "order_refused"


class OrderAlreadyShipped(OrderRefused):
    code = "order_already_shipped"


def orders_api(db: AsyncDatabase[Document]) -> Api:
    api = Api("orders")

    @api.post("/v1/orders", body=PlaceOrder, response=OrderView, status=201, roles={Role.BUYER})
    async def place_order(request: web.Request, body: PlaceOrder) -> OrderView:
        """Place an order."""
        order = OrderView(order_id=uuid.uuid4().hex, buyer_id=principal(request).sub, items=body.items)
        await db.orders.insert_one(order.model_dump())
        return order

    @api.get("/v1/orders", query=OrderSearch, response=OrderPage, roles={Role.BUYER})
    async def search_orders(request: web.Request, query: OrderSearch) -> OrderPage:
        return OrderPage(limit=query.limit, sku=query.sku)

    @api.post("/v1/orders/{order_id}/cancel", roles={Role.BUYER})
    async def cancel_order(request: web.Request) -> web.Response:
        raise OrderAlreadyShipped(f"order {request.match_info['order_id']} has shipped")

    @api.get("/v1/crash", roles=None)
    async def crash(request: web.Request) -> web.Response:
        raise RuntimeError("mongodb://admin:hunter2@db internals")

    @api.post("/sandbox/payments/{payment_id}/succeed", roles=None)
    async def succeed_payment(request: web.Request) -> web.Response:
        return web.json_response({"succeeded": True})

    return api


AppFactory = Callable[..., Awaitable[Client]]


@pytest.fixture
async def serve(db: AsyncDatabase[Document], tmp_path: Path) -> AsyncIterator[AppFactory]:
    """Start the orders app with optional settings overrides and readiness checks; yields a client factory."""
    keys = ensure_dev_keys(tmp_path / "keys")
    clients: list[Client] = []

    async def start(readiness: list[ReadinessCheck] | None = None, **settings: Any) -> Client:
        config = ServiceSettings(max_body_bytes=4096, **settings)
        verifier = TokenVerifier.from_file(
            keys.public_keys_path, audience=config.jwt_audience, issuer=config.jwt_issuer
        )
        app = create_app(
            service="orders",
            settings=config,
            db=db,
            metrics=PlatformMetrics(),
            verifier=verifier,
            apis=[orders_api(db)],
            readiness=readiness or [],
            error_statuses={OrderRefused: 409},
        )
        token = mint_token(
            keys.private_key_path,
            sub="buyer-1",
            role="buyer",
            tier="standard",
            audience=config.jwt_audience,
            issuer=config.jwt_issuer,
        )
        client = TestClient(TestServer(app), headers={"Authorization": f"Bearer {token}"})
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


@pytest.fixture
async def client(serve: AppFactory) -> Client:
    return await serve()


async def test_a_bad_body_is_a_422_problem_naming_the_field_and_writes_nothing(
    client: Client, db: AsyncDatabase[Document]
) -> None:
    response = await client.post("/v1/orders", json={"items": [{"sku": "A-1", "quantity": 0}]})

    assert response.status == 422
    assert response.content_type == PROBLEM
    problem = await response.json()
    assert problem["type"] == "https://tradeguard.dev/problems/validation-failed"
    assert [error["field"] for error in problem["errors"]] == ["items.0.quantity"]
    assert await db.orders.count_documents({}) == 0


async def test_an_unknown_field_is_refused(client: Client, db: AsyncDatabase[Document]) -> None:
    response = await client.post("/v1/orders", json={"items": [{"sku": "A-1", "quantity": 1}], "price": 1})

    assert response.status == 422
    assert [error["field"] for error in (await response.json())["errors"]] == ["price"]
    assert await db.orders.count_documents({}) == 0


async def test_a_body_that_is_not_json_is_a_400_problem(client: Client) -> None:
    response = await client.post(
        "/v1/orders", data=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status == 400
    assert (await response.json())["type"] == "https://tradeguard.dev/problems/malformed-json"


async def test_a_valid_body_reaches_the_handler_and_the_declared_status_is_returned(
    client: Client, db: AsyncDatabase[Document]
) -> None:
    response = await client.post("/v1/orders", json={"items": [{"sku": "A-1", "quantity": 3}]})

    assert response.status == 201
    assert (await response.json())["buyer_id"] == "buyer-1"
    assert await db.orders.count_documents({"buyer_id": "buyer-1"}) == 1


async def test_an_oversized_body_is_a_413_problem(client: Client, db: AsyncDatabase[Document]) -> None:
    lines = [{"sku": "X" * 100, "quantity": 1}] * 100

    response = await client.post("/v1/orders", json={"items": lines})

    assert response.status == 413
    assert response.content_type == PROBLEM
    assert await db.orders.count_documents({}) == 0


async def test_query_parameters_are_validated_and_named(client: Client) -> None:
    bad = await client.get("/v1/orders", params={"limit": "lots"})
    unknown = await client.get("/v1/orders", params={"colour": "red"})
    good = await client.get("/v1/orders", params=[("limit", "5"), ("sku", "A"), ("sku", "B")])

    assert bad.status == 422
    assert [error["field"] for error in (await bad.json())["errors"]] == ["limit"]
    assert [error["field"] for error in (await unknown.json())["errors"]] == ["colour"]
    assert await good.json() == {"limit": 5, "sku": ["A", "B"]}


async def test_an_unknown_route_is_a_404_problem_and_a_wrong_method_a_405(client: Client) -> None:
    missing = await client.get("/v1/nothing-here")
    wrong_method = await client.delete("/v1/orders")

    assert missing.status == 404
    assert missing.content_type == PROBLEM
    assert (await missing.json())["type"] == "https://tradeguard.dev/problems/not-found"
    assert wrong_method.status == 405
    assert wrong_method.content_type == PROBLEM
    assert "POST" in wrong_method.headers["Allow"]


async def test_a_domain_error_is_a_problem_with_its_registered_status_and_code(client: Client) -> None:
    response = await client.post("/v1/orders/o-1/cancel")

    assert response.status == 409
    problem = await response.json()
    assert problem["type"] == "https://tradeguard.dev/problems/order-already-shipped"
    assert problem["detail"] == "order o-1 has shipped"


async def test_an_unexpected_error_is_an_opaque_500_problem(client: Client) -> None:
    response = await client.get("/v1/crash")

    assert response.status == 500
    assert response.content_type == PROBLEM
    assert "hunter2" not in await response.text()


async def test_the_correlation_id_is_echoed_or_created(client: Client) -> None:
    given = await client.get("/healthz", headers={"X-Correlation-ID": "corr-42"})
    created = await client.get("/healthz")
    injected = await client.get("/healthz", headers={"X-Correlation-ID": "a\tb"})

    assert given.headers["X-Correlation-ID"] == "corr-42"
    assert uuid.UUID(created.headers["X-Correlation-ID"])
    assert uuid.UUID(injected.headers["X-Correlation-ID"])


async def test_healthz_answers_without_a_token(client: Client) -> None:
    response = await client.get("/healthz", headers={"Authorization": ""})

    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_readyz_is_ready_when_every_check_passes_and_names_the_replica(serve: AppFactory) -> None:
    client = await serve(readiness=[ReadinessCheck("broker", _passing)], replica="orders-2")

    response = await client.get("/readyz")

    assert response.status == 200
    assert await response.json() == {
        "status": "ready",
        "checks": {"mongo": True, "broker": True},
        "replica": "orders-2",
    }


async def test_readyz_is_a_503_problem_naming_the_failing_checks(serve: AppFactory) -> None:
    client = await serve(
        readiness=[ReadinessCheck("broker", _failing), ReadinessCheck("consumers", _raising)]
    )

    response = await client.get("/readyz")

    assert response.status == 503
    problem = await response.json()
    assert problem["checks"] == {"mongo": True, "broker": False, "consumers": False}
    assert "broker, consumers" in problem["detail"]


async def test_metrics_expose_http_requests_by_route_template(client: Client) -> None:
    await client.post("/v1/orders/o-1/cancel")

    response = await client.get("/metrics")

    assert response.status == 200
    text = await response.text()
    assert (
        'tradeguard_http_requests_total{method="POST",route="/v1/orders/{order_id}/cancel",status="409"} 1.0'
        in text
    )


async def test_openapi_documents_every_route_with_models_security_and_problems(client: Client) -> None:
    document = await (await client.get("/openapi.json")).json()

    assert document["openapi"].startswith("3.1")
    place_order = document["paths"]["/v1/orders"]["post"]
    assert place_order["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PlaceOrder"
    }
    assert place_order["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "OrderView"
    )
    assert place_order["responses"]["422"]["content"][PROBLEM]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    assert place_order["security"] == [{"bearerAuth": []}]
    assert {"$ref": "#/components/parameters/IdempotencyKey"} in place_order["parameters"]
    search = document["paths"]["/v1/orders"]["get"]
    assert {parameter["name"] for parameter in search["parameters"]} == {"limit", "sku"}
    cancel = document["paths"]["/v1/orders/{order_id}/cancel"]["post"]
    assert cancel["parameters"][0] == {
        "name": "order_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }
    assert {"OrderLine", "PlaceOrder", "OrderView", "Problem"} <= set(document["components"]["schemas"])
    assert document["components"]["schemas"]["PlaceOrder"]["additionalProperties"] is False
    assert {"/healthz", "/readyz", "/metrics", "/openapi.json"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


async def test_sandbox_routes_do_not_exist_unless_sandbox_mode_is_on(serve: AppFactory) -> None:
    production = await serve()
    sandbox = await serve(sandbox=True)

    assert (await production.post("/sandbox/payments/p-1/succeed")).status == 404
    assert (
        "/sandbox/payments/{payment_id}/succeed"
        not in (await (await production.get("/openapi.json")).json())["paths"]
    )
    assert (await sandbox.post("/sandbox/payments/p-1/succeed")).status == 200


async def _passing() -> bool:
    return True


async def _failing() -> bool:
    return False


async def _raising() -> bool:
    raise ConnectionError("broker unreachable")
