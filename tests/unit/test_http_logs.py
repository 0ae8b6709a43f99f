"""Quiet, safe logs: a bug is logged once with its correlation id; a client's mistake is an info line."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, MutableMapping
from typing import Any

import pytest
import structlog
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pymongo import AsyncMongoClient

from shared.http.app import create_app
from shared.http.routes import Api
from shared.metrics import PlatformMetrics
from shared.security.jwt import TokenVerifier
from shared.settings import ServiceSettings

failing = Api("failing")


@failing.get("/v1/bug", roles=None)
async def bug(request: web.Request) -> web.Response:
    raise RuntimeError("mongodb://admin:hunter2@db/ unreachable")


@failing.get("/v1/dropped", roles=None)
async def dropped(request: web.Request) -> web.Response:
    raise ConnectionResetError("Connection lost")


@pytest.fixture
async def client() -> AsyncIterator[TestClient[web.Request, web.Application]]:
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient("mongodb://127.0.0.1:9/", connect=False)
    app = create_app(
        service="test",
        settings=ServiceSettings(),
        db=mongo["unused"],
        metrics=PlatformMetrics(),
        verifier=TokenVerifier({}, audience="tradeguard", issuer="test"),
        apis=[failing],
        readiness=[],
    )
    async with TestClient(TestServer(app)) as test_client:
        yield test_client
    await mongo.close()


def failures(logs: list[MutableMapping[str, Any]]) -> list[MutableMapping[str, Any]]:
    return [line for line in logs if line["log_level"] in ("error", "critical", "exception")]


async def test_an_unexpected_exception_answers_a_problem_without_internals_and_is_logged_once(
    client: TestClient[web.Request, web.Application],
) -> None:
    # Given a route that fails with a bug whose message holds a secret
    with structlog.testing.capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        # When it is called with a correlation id
        response = await client.get("/v1/bug", headers={"X-Correlation-ID": "corr-42"})
        body = await response.text()

    # Then the client gets an opaque problem, and the failure is logged once, with the correlation id
    assert response.status == 500
    assert response.content_type == "application/problem+json"
    assert "hunter2" not in body
    assert "RuntimeError" not in body
    [logged] = failures(logs)
    assert logged["correlation_id"] == "corr-42"


async def test_a_client_that_drops_the_connection_is_logged_at_info_without_a_traceback(
    client: TestClient[web.Request, web.Application],
) -> None:
    with structlog.testing.capture_logs() as logs:
        await client.get("/v1/dropped")

    assert failures(logs) == []
    [aborted] = [line for line in logs if line["event"] == "http_request_aborted"]
    assert aborted["log_level"] == "info"
    assert "exc_info" not in aborted


async def test_a_malformed_request_is_logged_at_info_without_traceback_or_the_bytes_it_sent(
    client: TestClient[web.Request, web.Application], caplog: pytest.LogCaptureFixture
) -> None:
    # Given a request whose Authorization header is longer than any header the server reads
    token = "eyJhbGciOiJFZERTQSJ9." + "A" * 10_000
    raw = f"GET /v1/bug HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode()

    # When it is sent
    with structlog.testing.capture_logs() as logs, caplog.at_level(logging.DEBUG):
        reader, writer = await asyncio.open_connection(client.host, client.port)
        writer.write(raw)
        await writer.drain()
        answer = await reader.read()
        writer.close()

    # Then it is refused, logged as one info line naming the error, and no log holds the token
    assert answer.split(b"\r\n")[0].endswith(b" 400 Bad Request")
    assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []
    [unreadable] = [line for line in logs if line["event"] == "http_request_unreadable"]
    assert unreadable["log_level"] == "info"
    assert "eyJhbGciOiJFZERTQSJ9" not in caplog.text + str(logs)
