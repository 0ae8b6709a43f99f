"""Only the gateway's asymmetric, unexpired tokens for this audience name a caller; roles gate routes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from pydantic import BaseModel
from pymongo import AsyncMongoClient

from shared.http.app import create_app
from shared.http.routes import Api, principal
from shared.metrics import PlatformMetrics
from shared.security.jwt import Principal, TokenRejected, TokenVerifier
from shared.security.keys import DevKeys, ensure_dev_keys, mint_token, public_jwk
from shared.security.roles import Role
from shared.settings import ServiceSettings

AUDIENCE, ISSUER = "tradeguard", "tradeguard-dev-idp"


@pytest.fixture
def keys(tmp_path: Path) -> DevKeys:
    return ensure_dev_keys(tmp_path / "keys")


@pytest.fixture
def verifier(keys: DevKeys) -> TokenVerifier:
    return TokenVerifier.from_file(keys.public_keys_path, audience=AUDIENCE, issuer=ISSUER)


def buyer_claims(**overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims = {
        "sub": "buyer-1",
        "role": "buyer",
        "tier": "enterprise",
        "aud": AUDIENCE,
        "iss": ISSUER,
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    return {**claims, **overrides}


def signed(keys: DevKeys, claims: dict[str, Any], kid: str | None = None) -> str:
    private_key = serialization.load_pem_private_key(keys.private_key_path.read_bytes(), password=None)
    assert isinstance(private_key, ed25519.Ed25519PrivateKey)
    kid = kid or public_jwk(private_key.public_key())["kid"]
    return jwt.encode(claims, private_key, algorithm="EdDSA", headers={"kid": kid})


def known_kid(keys: DevKeys) -> str:
    return str(json.loads(keys.public_keys_path.read_text())["keys"][0]["kid"])


def forged(keys: DevKeys, alg: str, hmac_key: bytes | None) -> str:
    """A hand-built token PyJWT would refuse to make: unsigned, or HMAC-signed with the *public* key."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = {"alg": alg, "typ": "JWT", "kid": known_kid(keys)}
    claims = {**buyer_claims(), "iat": 0, "exp": int(datetime.now(UTC).timestamp()) + 300}
    message = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    signature = hmac.new(hmac_key, message.encode(), hashlib.sha256).digest() if hmac_key else b""
    return f"{message}.{b64(signature)}"


def public_key_bytes(keys: DevKeys) -> bytes:
    return str(json.loads(keys.public_keys_path.read_text())["keys"][0]["x"]).encode()


BadToken = Callable[[DevKeys, Path], str]
BAD_TOKENS: dict[str, BadToken] = {
    "expired": lambda keys, _: signed(keys, buyer_claims(exp=datetime.now(UTC) - timedelta(minutes=5))),
    "wrong audience": lambda keys, _: signed(keys, buyer_claims(aud="another-platform")),
    "wrong issuer": lambda keys, _: signed(keys, buyer_claims(iss="someone-else")),
    "no expiry": lambda keys, _: signed(keys, {k: v for k, v in buyer_claims().items() if k != "exp"}),
    "wrong key": lambda keys, tmp: signed(
        ensure_dev_keys(tmp / "other"), buyer_claims(), kid=known_kid(keys)
    ),
    "unknown kid": lambda keys, tmp: signed(ensure_dev_keys(tmp / "other"), buyer_claims()),
    "alg none": lambda keys, _: forged(keys, "none", None),
    "hs256 with public key": lambda keys, _: forged(keys, "HS256", public_key_bytes(keys)),
    "unknown role": lambda keys, _: signed(keys, buyer_claims(role="admin")),
    "buyer without tier": lambda keys, _: signed(
        keys, {k: v for k, v in buyer_claims().items() if k != "tier"}
    ),
    "not a jwt": lambda keys, _: "not-a-token",
    "header not a json object": lambda keys, _: "WzFd.e30.c2ln",  # [1] . {} . sig
}


def test_a_valid_buyer_token_names_the_buyer_and_its_tier(keys: DevKeys, verifier: TokenVerifier) -> None:
    token = mint_token(
        keys.private_key_path,
        sub="buyer-1",
        role="buyer",
        tier="enterprise_pro",
        audience=AUDIENCE,
        issuer=ISSUER,
    )

    assert verifier.verify(token) == Principal(sub="buyer-1", role="buyer", tier="enterprise_pro")


def test_a_service_token_names_the_calling_service(keys: DevKeys, verifier: TokenVerifier) -> None:
    token = mint_token(
        keys.private_key_path, sub="escrow", role="service:escrow", audience=AUDIENCE, issuer=ISSUER
    )

    assert verifier.verify(token) == Principal(sub="escrow", role="service:escrow", tier=None)


@pytest.mark.parametrize("make", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_an_untrustworthy_token_is_rejected(
    make: BadToken, keys: DevKeys, verifier: TokenVerifier, tmp_path: Path
) -> None:
    with pytest.raises(TokenRejected):
        verifier.verify(make(keys, tmp_path))


def test_es256_keys_are_accepted_but_symmetric_keys_are_refused_at_load() -> None:
    private_key = ec.generate_private_key(ec.SECP256R1())
    jwk = {**json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private_key.public_key())), "kid": "ec-1"}
    verifier = TokenVerifier.from_jwks({"keys": [jwk]}, audience=AUDIENCE, issuer=ISSUER)
    token = jwt.encode(
        buyer_claims(role="supplier", sub="supplier-9"),
        private_key,
        algorithm="ES256",
        headers={"kid": "ec-1"},
    )

    assert verifier.verify(token) == Principal(sub="supplier-9", role="supplier")
    with pytest.raises(ValueError, match="HS256"):
        TokenVerifier.from_jwks(
            {"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "h", "alg": "HS256"}]},
            audience=AUDIENCE,
            issuer=ISSUER,
        )


class WhoAmI(BaseModel):
    sub: str
    role: str


@pytest.fixture
async def client(
    keys: DevKeys, verifier: TokenVerifier
) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    api = Api()

    @api.get("/v1/whoami", response=WhoAmI, roles={Role.BUYER})
    async def whoami(request: web.Request) -> WhoAmI:
        caller = principal(request)
        return WhoAmI(sub=caller.sub, role=caller.role)

    # These routes never touch the database: a client that is never connected is enough.
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient("mongodb://127.0.0.1:9/", connect=False)
    app = create_app(
        service="test",
        settings=ServiceSettings(),
        db=mongo["unused"],
        metrics=PlatformMetrics(),
        verifier=verifier,
        apis=[api],
        readiness=[],
    )
    async with TestClient(TestServer(app)) as test_client:
        yield test_client
    await mongo.close()


async def test_a_request_without_a_token_gets_401_with_a_bearer_challenge(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get("/v1/whoami")

    assert response.status == 401
    assert response.content_type == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert (await response.json())["type"] == "https://tradeguard.dev/problems/unauthorized"


@pytest.mark.parametrize("make", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
async def test_a_request_with_an_untrustworthy_token_gets_401(
    make: BadToken, keys: DevKeys, tmp_path: Path, client: TestClient[web.Request, web.Application]
) -> None:
    response = await client.get("/v1/whoami", headers={"Authorization": f"Bearer {make(keys, tmp_path)}"})

    assert response.status == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


async def test_a_caller_with_another_role_gets_403(
    keys: DevKeys, client: TestClient[web.Request, web.Application]
) -> None:
    token = mint_token(
        keys.private_key_path, sub="supplier-1", role="supplier", audience=AUDIENCE, issuer=ISSUER
    )

    response = await client.get("/v1/whoami", headers={"Authorization": f"Bearer {token}"})

    assert response.status == 403
    assert (await response.json())["type"] == "https://tradeguard.dev/problems/forbidden"


async def test_a_caller_with_the_role_reaches_the_handler_as_itself(
    keys: DevKeys, client: TestClient[web.Request, web.Application]
) -> None:
    token = mint_token(
        keys.private_key_path, sub="buyer-7", role="buyer", tier="standard", audience=AUDIENCE, issuer=ISSUER
    )

    response = await client.get("/v1/whoami", headers={"Authorization": f"Bearer {token}"})

    assert response.status == 200
    assert await response.json() == {"sub": "buyer-7", "role": "buyer"}


def test_a_token_accepted_before_is_refused_once_it_expires(keys: DevKeys) -> None:
    now = [datetime.now(UTC).timestamp()]
    verifier = TokenVerifier.from_file(
        keys.public_keys_path, audience=AUDIENCE, issuer=ISSUER, now=lambda: now[0]
    )
    expires = datetime.now(UTC) + timedelta(minutes=1)
    token = signed(keys, buyer_claims(exp=expires))
    # Given the token accepted (and remembered) while valid
    assert verifier.verify(token).sub == "buyer-1"
    assert verifier.verify(token).sub == "buyer-1"

    # When its expiry and the leeway have passed
    now[0] = expires.timestamp() + 31

    # Then it is refused, however often it was accepted before
    with pytest.raises(TokenRejected, match="token expired"):
        verifier.verify(token)
