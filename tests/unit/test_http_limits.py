"""Time and rate limits: slow clients are cut off, one caller cannot take a replica for itself."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import BaseModel
from pymongo import AsyncMongoClient

from deploy.local.polling import eventually
from shared.http.app import OPENAPI, create_app
from shared.http.routes import Api
from shared.http.serving import PlatformRunner, handler_options
from shared.metrics import PlatformMetrics
from shared.security.jwt import TokenVerifier
from shared.security.keys import DevKeys, ensure_dev_keys, mint_token
from shared.security.roles import Role
from shared.settings import ServiceSettings

AUDIENCE, ISSUER = "tradeguard", "tradeguard-dev-idp"
BURST = 20
SLOW_CLIENT_SECONDS = 0.5

limited = Api("limited")


class Note(BaseModel):
    text: str


@limited.get("/v1/notes", roles={Role.BUYER})
async def read_notes(request: web.Request) -> Note:
    return Note(text="hello")


@limited.post("/v1/notes", body=Note, response=Note, roles={Role.BUYER})
async def write_note(request: web.Request, note: Note) -> Note:
    return note


@pytest.fixture
def keys(tmp_path: Path) -> DevKeys:
    return ensure_dev_keys(tmp_path / "keys")


def token(keys: DevKeys, sub: str) -> str:
    return mint_token(
        keys.private_key_path, sub=sub, role="buyer", tier="standard", audience=AUDIENCE, issuer=ISSUER
    )


@pytest.fixture
def settings() -> ServiceSettings:
    # A rate that refills nothing within a test: exactly the burst is served.
    return ServiceSettings(
        rate_limit_burst=BURST,
        rate_limit_per_second=0.01,
        http_header_timeout_seconds=SLOW_CLIENT_SECONDS,
        http_body_timeout_seconds=SLOW_CLIENT_SECONDS,
    )


@pytest.fixture
async def app(keys: DevKeys, settings: ServiceSettings) -> AsyncIterator[web.Application]:
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient("mongodb://127.0.0.1:9/", connect=False)
    yield create_app(
        service="test",
        settings=settings,
        db=mongo["unused"],
        metrics=PlatformMetrics(),
        verifier=TokenVerifier.from_file(keys.public_keys_path, audience=AUDIENCE, issuer=ISSUER),
        apis=[limited],
        readiness=[],
    )
    await mongo.close()


@pytest.fixture
async def client(app: web.Application) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def test_150_concurrent_requests_from_one_token_are_not_all_served(
    client: TestClient[web.Request, web.Application], keys: DevKeys
) -> None:
    # Given a buyer's token and a limit of BURST requests at once
    headers = {"Authorization": f"Bearer {token(keys, 'buyer-1')}"}

    # When it sends 150 requests at once
    responses = await asyncio.gather(*(client.get("/v1/notes", headers=headers) for _ in range(150)))

    # Then the burst is served and the rest refused with 429 and when to retry
    statuses = [response.status for response in responses]
    assert statuses.count(200) == BURST
    assert statuses.count(429) == 150 - BURST
    refused = next(response for response in responses if response.status == 429)
    assert refused.content_type == "application/problem+json"
    assert int(refused.headers["Retry-After"]) >= 1
    assert (await refused.json())["type"].endswith("/rate-limited")


async def test_rate_limits_are_per_subject(
    client: TestClient[web.Request, web.Application], keys: DevKeys
) -> None:
    # Given one buyer who has used up its burst
    greedy = {"Authorization": f"Bearer {token(keys, 'greedy')}"}
    for _ in range(BURST):
        assert (await client.get("/v1/notes", headers=greedy)).status == 200
    assert (await client.get("/v1/notes", headers=greedy)).status == 429

    # When another buyer calls
    other = await client.get("/v1/notes", headers={"Authorization": f"Bearer {token(keys, 'other')}"})

    # Then it is served: the limit is the subject's, not the replica's
    assert other.status == 200


async def test_a_rate_limited_request_is_documented_on_every_authenticated_operation(
    app: web.Application,
) -> None:
    document = app[OPENAPI]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            limited_answer = operation["responses"].get("429")
            if "x-roles" in operation:
                assert limited_answer is not None, f"{method.upper()} {path} does not document 429"
                assert "Retry-After" in limited_answer["headers"]
            else:
                assert limited_answer is None, f"public {method.upper()} {path} is not rate limited"


async def trickle_until_cut_off(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, drip: bytes
) -> tuple[bytes, float]:
    """Send `drip` one byte per poll until the server closes the connection: its answer and how long."""
    answer = asyncio.create_task(read_until_closed(reader))
    started = time.monotonic()
    sent = 0

    async def cut_off() -> bool:
        nonlocal sent
        if not answer.done() and not writer.is_closing():
            writer.write(drip[sent % len(drip) : sent % len(drip) + 1])
            sent += 1
        return answer.done()

    await eventually(cut_off, timeout=10 * SLOW_CLIENT_SECONDS + 5)
    writer.close()
    return answer.result(), time.monotonic() - started


async def read_until_closed(reader: asyncio.StreamReader) -> bytes:
    """What the server answered before it closed the connection (a reset, too, is a close)."""
    received = b""
    try:
        while chunk := await reader.read(65536):
            received += chunk
    except ConnectionResetError:
        pass  # bytes sent after the server stopped reading make its close a reset
    return received


async def test_a_client_that_trickles_its_headers_is_cut_off(
    client: TestClient[web.Request, web.Application],
) -> None:
    # Given a connection that has started a request
    reader, writer = await asyncio.open_connection(client.host, client.port)
    writer.write(b"GET /v1/notes HTTP/1.1\r\nHost: x\r\n")

    # When it keeps sending header bytes without ever finishing the head
    answer, took = await trickle_until_cut_off(reader, writer, b"X-Slow: aaaaaaaaaaaaaaaa\r\n")

    # Then the server closes it once the header timeout has passed, trickling notwithstanding
    assert answer == b""
    assert SLOW_CLIENT_SECONDS <= took < SLOW_CLIENT_SECONDS + 3


async def test_a_client_that_trickles_its_body_is_answered_408_and_cut_off(
    client: TestClient[web.Request, web.Application], keys: DevKeys
) -> None:
    # Given a request head announcing a body
    reader, writer = await asyncio.open_connection(client.host, client.port)
    head = (
        "POST /v1/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n"
        f"Authorization: Bearer {token(keys, 'slow-writer')}\r\n\r\n"
    )
    writer.write(head.encode())

    # When the body trickles in a byte at a time
    answer, took = await trickle_until_cut_off(reader, writer, b'{"text": "' + b"a" * 64)

    # Then the request is refused as too slow and the connection closed
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.endswith(b" 408 Request Timeout")
    assert b"Connection: close" in rest
    assert took < SLOW_CLIENT_SECONDS * 2 + 3


RequestBytes = Callable[[str], bytes]
UNPARSEABLE: dict[str, RequestBytes] = {
    "oversized Authorization header": lambda secret: (
        f"GET /v1/notes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {secret}{'A' * 10_000}\r\n\r\n".encode()
    ),
    "header without a colon": lambda secret: (
        f"GET /v1/notes HTTP/1.1\r\nHost: x\r\nAuthorization Bearer {secret}\r\n\r\n".encode()
    ),
    "oversized request line": lambda secret: (
        f"GET /v1/notes?t={secret}{'A' * 10_000} HTTP/1.1\r\n\r\n".encode()
    ),
    "garbage request line": lambda secret: f"{secret} {secret}\r\n\r\n".encode(),
}


@pytest.mark.parametrize("unparseable", sorted(UNPARSEABLE))
async def test_no_header_or_token_bytes_appear_in_answers_to_unparseable_requests(
    unparseable: str, app: web.Application, settings: ServiceSettings
) -> None:
    # Given the app served as `python -m services.<name>` serves it
    runner = PlatformRunner(app, shutdown_timeout=1, **handler_options(settings))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    secret = "eyJhbGciOiJFZERTQSJ9.c2VjcmV0"
    try:
        # When a request it cannot parse carries a token
        host, port = runner.addresses[0][:2]
        answer = await send_raw(host, port, UNPARSEABLE[unparseable](secret))
    finally:
        await runner.cleanup()

    # Then it is answered a 400 problem that quotes none of it
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0].endswith(b" 400 Bad Request")
    assert json.loads(body)["type"].endswith("/malformed-request")
    assert b"eyJ" not in answer
    assert b"c2VjcmV0" not in answer


async def send_raw(host: str, port: int, raw: bytes) -> bytes:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(raw)
    await writer.drain()
    answer: Awaitable[bytes] = reader.read()
    try:
        return await answer
    finally:
        writer.close()


async def test_the_production_defaults_do_not_serve_150_concurrent_requests_from_one_token(
    keys: DevKeys,
) -> None:
    # Given a service with the default limits, as production runs it
    defaults = ServiceSettings()
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient("mongodb://127.0.0.1:9/", connect=False)
    app = create_app(
        service="test",
        settings=defaults,
        db=mongo["unused"],
        metrics=PlatformMetrics(),
        verifier=TokenVerifier.from_file(keys.public_keys_path, audience=AUDIENCE, issuer=ISSUER),
        apis=[limited],
        readiness=[],
    )
    headers = {"Authorization": f"Bearer {token(keys, 'buyer-1')}"}
    async with TestClient(TestServer(app)) as client:
        # When one token sends 150 requests at once
        responses = await asyncio.gather(*(client.get("/v1/notes", headers=headers) for _ in range(150)))
    await mongo.close()

    # Then about the burst is served (plus what refills meanwhile) and the rest is refused with 429
    served = [response.status for response in responses].count(200)
    assert defaults.rate_limit_burst <= served < 150
    assert [response.status for response in responses].count(429) == 150 - served
