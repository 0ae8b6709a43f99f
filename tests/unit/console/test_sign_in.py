"""Who may sign in, how, and what the console then opens: the rules of the operators' desk front door."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer

from services.console.app import build_app
from services.console.operators import Identity, SignInRefused, operator_roles
from services.console.settings import DEV_SESSION_SECRET, ConsoleSettings
from shared.security.jwt import TokenVerifier
from shared.security.keys import DevKeys, ensure_dev_keys, mint_token
from shared.security.roles import OPS_ROLES, Role


@pytest.fixture
def keys(tmp_path: Path) -> DevKeys:
    return ensure_dev_keys(tmp_path / "keys")


def settings(keys: DevKeys, *, sandbox: bool = True) -> ConsoleSettings:
    return ConsoleSettings(
        sandbox=sandbox,
        session_secret="a-production-grade-secret-of-enough-length",
        jwt_public_keys_file=keys.public_keys_path,
        dev_signing_key_file=keys.private_key_path,
        # Nothing answers here: these tests never reach a service.
        service_endpoints={
            name: "http://127.0.0.1:9" for name in ("catalog", "escrow", "logistics", "disputes")
        },
    )


def identity(keys: DevKeys, *, sandbox: bool = True) -> Identity:
    verifier = TokenVerifier.from_file(
        keys.public_keys_path, audience="tradeguard", issuer="tradeguard-dev-idp"
    )
    signing_key = keys.private_key_path if sandbox else None
    return Identity(verifier, audience="tradeguard", issuer="tradeguard-dev-idp", signing_key=signing_key)


async def started(app_settings: ConsoleSettings) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    client: TestClient[web.Request, web.Application] = TestClient(TestServer(build_app(app_settings)))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture
async def sandbox_console(keys: DevKeys) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    async for client in started(settings(keys)):
        yield client


@pytest.fixture
async def gateway_console(keys: DevKeys) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    async for client in started(settings(keys, sandbox=False)):
        yield client


async def csrf_of(response: ClientResponse) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', await response.text())
    assert found, "the page has no CSRF field"
    return found.group(1)


# --- settings and identity ---------------------------------------------------------------------------


def test_outside_sandbox_the_development_session_secret_is_refused(keys: DevKeys) -> None:
    with pytest.raises(ValueError, match="CONSOLE_SESSION_SECRET"):
        ConsoleSettings(sandbox=False, session_secret=DEV_SESSION_SECRET)
    with pytest.raises(ValueError, match="CONSOLE_SESSION_SECRET"):
        ConsoleSettings(sandbox=False, session_secret="short")

    assert ConsoleSettings(sandbox=True).session_secret == DEV_SESSION_SECRET


def test_the_sign_in_page_offers_every_operator_role_and_no_other() -> None:
    assert set(operator_roles()) == {str(role) for role in OPS_ROLES}
    assert Role.BUYER not in operator_roles()


def test_sandbox_mints_an_operator_token_the_platform_trusts(keys: DevKeys) -> None:
    desk = identity(keys)
    who = desk.operator(desk.mint(operator_id="mediator-ana", role=Role.MEDIATOR))

    assert who is not None
    assert (who.principal.sub, who.principal.role) == ("mediator-ana", Role.MEDIATOR)
    assert [d.name for d in who.desks] == ["mediation"]


@pytest.mark.parametrize("role", [Role.BUYER, Role.SUPPLIER, "service:escrow", "ops:root"])
def test_sandbox_never_mints_a_token_for_a_role_that_is_not_an_operators(keys: DevKeys, role: str) -> None:
    with pytest.raises(SignInRefused):
        identity(keys).mint(operator_id="someone", role=role)


def test_an_operator_id_is_plain_text(keys: DevKeys) -> None:
    with pytest.raises(SignInRefused):
        identity(keys).mint(operator_id="<b>ana</b>", role=Role.MEDIATOR)


def test_outside_sandbox_the_console_never_mints(keys: DevKeys) -> None:
    with pytest.raises(SignInRefused, match="gateway"):
        identity(keys, sandbox=False).mint(operator_id="mediator-ana", role=Role.MEDIATOR)


# --- over HTTP -----------------------------------------------------------------------------------------


async def test_the_session_cookie_is_http_only_and_same_site_strict(
    sandbox_console: TestClient[web.Request, web.Application],
) -> None:
    response = await sandbox_console.get("/signin")
    cookie = response.headers["Set-Cookie"]

    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


async def test_signing_in_without_the_forms_csrf_value_is_refused(
    sandbox_console: TestClient[web.Request, web.Application],
) -> None:
    await sandbox_console.get("/signin")
    refused = await sandbox_console.post(
        "/signin", data={"role": "ops:mediator", "operator_id": "mediator-ana"}, allow_redirects=False
    )

    assert refused.status == 403
    assert "CSRF" in await refused.text()


async def test_a_mediator_signs_in_and_lands_on_the_page_it_asked_for(
    sandbox_console: TestClient[web.Request, web.Application],
) -> None:
    csrf = await csrf_of(await sandbox_console.get("/signin"))
    signed_in = await sandbox_console.post(
        "/signin",
        data={
            "role": "ops:mediator",
            "operator_id": "mediator-ana",
            "csrf_token": csrf,
            "next": "/mediation",
        },
        allow_redirects=False,
    )

    assert signed_in.status == 303
    assert signed_in.headers["Location"] == "/mediation"
    home = await sandbox_console.get("/")
    assert "mediator-ana" in await home.text()


async def test_after_sign_in_only_the_new_csrf_value_is_accepted(
    sandbox_console: TestClient[web.Request, web.Application],
) -> None:
    before = await csrf_of(await sandbox_console.get("/signin"))
    await sandbox_console.post(
        "/signin",
        data={"role": "ops:finance", "operator_id": "fay", "csrf_token": before},
        allow_redirects=False,
    )

    refused = await sandbox_console.post("/signout", data={"csrf_token": before}, allow_redirects=False)
    assert refused.status == 403


async def test_sign_in_never_redirects_to_another_site(
    sandbox_console: TestClient[web.Request, web.Application],
) -> None:
    csrf = await csrf_of(await sandbox_console.get("/signin"))
    signed_in = await sandbox_console.post(
        "/signin",
        data={"role": "ops:finance", "operator_id": "fay", "csrf_token": csrf, "next": "//evil.example/"},
        allow_redirects=False,
    )

    assert signed_in.headers["Location"] == "/"


async def test_a_buyer_role_is_refused_at_sign_in(
    sandbox_console: TestClient[web.Request, web.Application],
) -> None:
    csrf = await csrf_of(await sandbox_console.get("/signin"))
    refused = await sandbox_console.post(
        "/signin", data={"role": "buyer", "operator_id": "buyer-1", "csrf_token": csrf}, allow_redirects=False
    )

    assert refused.status == 422
    assert "Set-Cookie" not in refused.headers or "tg_console" not in refused.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(
    "path",
    ["/mediation", "/mediation/cases/c-1", "/finance", "/finance/orders", "/orders/o-1", "/operations"],
)
async def test_a_buyers_gateway_token_is_refused_every_ops_page(
    gateway_console: TestClient[web.Request, web.Application], keys: DevKeys, path: str
) -> None:
    buyer = mint_token(
        keys.private_key_path,
        sub="buyer-1",
        role="buyer",
        tier="standard",
        audience="tradeguard",
        issuer="tradeguard-dev-idp",
    )
    refused = await gateway_console.get(
        path, headers={"Authorization": f"Bearer {buyer}"}, allow_redirects=False
    )

    assert refused.status == 403
    assert "Not your desk" in await refused.text()


async def test_without_a_token_an_ops_page_sends_the_operator_to_sign_in(
    gateway_console: TestClient[web.Request, web.Application],
) -> None:
    response = await gateway_console.get("/finance?x=1", allow_redirects=False)

    assert response.status == 303
    assert response.headers["Location"] == "/signin?next=%2Ffinance%3Fx%3D1"


async def test_outside_sandbox_the_sign_in_page_points_to_the_gateway_and_mints_nothing(
    gateway_console: TestClient[web.Request, web.Application],
) -> None:
    page = await gateway_console.get("/signin")

    assert "gateway" in await page.text()
    assert 'name="operator_id"' not in await page.text()
