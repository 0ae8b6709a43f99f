"""The route table: module-level declarations, the app keys they read, configured roles, and a document
whose schema names a generated client can rely on (one class per title; see test_openapi_schema_names)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import BaseModel, create_model
from pymongo import AsyncMongoClient

from shared.http.app import create_app
from shared.http.openapi import AmbiguousSchema, build_openapi
from shared.http.routes import Api
from shared.metrics import PlatformMetrics
from shared.security.jwt import TokenVerifier
from shared.security.roles import Role
from shared.settings import ServiceSettings

GREETING = web.AppKey("greeting", str)


class Greeting(BaseModel):
    text: str


greetings = Api("greetings", requires=(GREETING,))


@greetings.get("/v1/greeting", response=Greeting, roles=None)
async def greet(request: web.Request) -> Greeting:
    return Greeting(text=request.app[GREETING])


@greetings.post("/v1/greeting", response=Greeting, roles={Role.VERIFICATION})
async def change_greeting(request: web.Request) -> Greeting:
    return Greeting(text="changed")


@pytest.fixture
async def mongo() -> AsyncIterator[AsyncMongoClient[dict[str, Any]]]:
    # These routes never touch the database: a client that is never connected is enough.
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient("mongodb://127.0.0.1:9/", connect=False)
    yield client
    await client.close()


def app_serving(api: Api, mongo: AsyncMongoClient[dict[str, Any]]) -> web.Application:
    return create_app(
        service="test",
        settings=ServiceSettings(),
        db=mongo["unused"],
        metrics=PlatformMetrics(),
        verifier=TokenVerifier({}, audience="tradeguard", issuer="test"),
        apis=[api],
        readiness=[],
    )


async def test_a_module_level_route_reads_what_the_composition_root_set_on_the_app(
    mongo: AsyncMongoClient[dict[str, Any]],
) -> None:
    app = app_serving(greetings, mongo)
    app[GREETING] = "hello"

    async with TestClient(TestServer(app)) as client:
        response = await client.get("/v1/greeting")

        assert response.status == 200
        assert await response.json() == {"text": "hello"}


async def test_an_app_missing_a_key_its_routes_read_refuses_to_start(
    mongo: AsyncMongoClient[dict[str, Any]],
) -> None:
    app = app_serving(greetings, mongo)

    with pytest.raises(RuntimeError, match="greeting"):
        async with TestClient(TestServer(app)):
            pass


def test_configured_roles_replace_the_declared_ones_in_a_copy_of_the_table() -> None:
    managed = greetings.with_roles({Role.FINANCE}, change_greeting)

    roles = {route.handler.__name__: route.roles for route in managed.routes}
    assert roles == {"greet": None, "change_greeting": frozenset({Role.FINANCE})}
    assert greetings.routes[1].roles == frozenset({Role.VERIFICATION})
    operation = build_openapi(title="t", version="v1", apis=[managed])["paths"]["/v1/greeting"]["post"]
    assert operation["x-roles"] == ["ops:finance"]


def test_configured_roles_name_only_routes_of_the_table() -> None:
    async def stranger(request: web.Request) -> web.Response:
        return web.Response()

    with pytest.raises(ValueError, match="stranger"):
        greetings.with_roles({Role.FINANCE}, stranger)


def test_every_schema_of_a_document_is_named_after_its_own_class() -> None:
    schemas = build_openapi(title="t", version="v1", apis=[greetings])["components"]["schemas"]

    assert {name: schema.get("title") for name, schema in schemas.items()} == {
        "Greeting": "Greeting",
        "Problem": None,
    }


def test_two_classes_with_one_name_cannot_share_a_document() -> None:
    # Given two response models that are different classes with the same name (as from two modules)
    first = create_model("Criterion", name=(str, ...))
    second = create_model("Criterion", unit=(str, ...))
    api = Api("clash")
    api.get("/v1/first", response=first, roles=None)(greet)
    api.get("/v1/second", response=second, roles=None)(greet)

    # Then the document is refused when it is built, naming the title
    with pytest.raises(AmbiguousSchema, match="'Criterion'"):
        build_openapi(title="t", version="v1", apis=[api])


def test_a_model_may_not_take_the_name_of_the_problem_schema() -> None:
    problem = create_model("Problem", detail=(str, ...))
    api = Api("problems")
    api.get("/v1/problem", response=problem, roles=None)(greet)

    with pytest.raises(AmbiguousSchema, match="Problem"):
        build_openapi(title="t", version="v1", apis=[api])
