"""Every service refuses a call whose bearer token is missing or cannot be trusted: 401, nothing changes.

tests/unit/test_jwt.py proves the verifier; this proves each service routes its endpoints through it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from deploy.journey import money
from shared.security.keys import DevKeys, ensure_dev_keys, mint_token, public_jwk
from tests.security.probe import send
from tests.security.trade import Trade

AUDIENCE, ISSUER = "tradeguard", "tradeguard-dev-idp"


class Caller:
    """Who the token claims to be: the rightful party of the call, so only the token's flaw is wrong."""

    def __init__(self, keys: DevKeys, other_keys: DevKeys, sub: str, role: str) -> None:
        self.keys, self.other_keys, self.sub, self.role = keys, other_keys, sub, role
        self.tier = "standard" if role == "buyer" else None

    def claims(self, **changes: Any) -> dict[str, Any]:
        now = datetime.now(UTC)
        claims = {"sub": self.sub, "role": self.role, "aud": AUDIENCE, "iss": ISSUER, "iat": now}
        claims["exp"] = now + timedelta(hours=1)
        if self.tier is not None:
            claims["tier"] = self.tier
        return {**claims, **changes}

    def trusted_kid(self) -> str:
        return public_jwk(private_key(self.keys).public_key())["kid"]


def private_key(keys: DevKeys) -> Ed25519PrivateKey:
    private = serialization.load_pem_private_key(keys.private_key_path.read_bytes(), password=None)
    assert isinstance(private, Ed25519PrivateKey)
    return private


def expired(caller: Caller) -> str:
    # Well past the verifier's 30 s clock-skew leeway.
    issued = datetime.now(UTC) - timedelta(hours=2)
    return mint_token(
        caller.keys.private_key_path,
        sub=caller.sub,
        role=caller.role,
        tier=caller.tier,
        audience=AUDIENCE,
        issuer=ISSUER,
        ttl=timedelta(minutes=5),
        issued_at=issued,
    )


def wrong_audience(caller: Caller) -> str:
    return mint_token(
        caller.keys.private_key_path,
        sub=caller.sub,
        role=caller.role,
        tier=caller.tier,
        audience="another-platform",
        issuer=ISSUER,
    )


def wrong_key(caller: Caller) -> str:
    """Signed by an attacker's key but naming the trusted key's id."""
    private = serialization.load_pem_private_key(
        caller.other_keys.private_key_path.read_bytes(), password=None
    )
    return jwt.encode(caller.claims(), private, algorithm="EdDSA", headers={"kid": caller.trusted_kid()})  # type: ignore[arg-type]


def unsigned(caller: Caller) -> str:
    """alg=none: the classic bypass of verifiers that let the token choose its algorithm."""
    return jwt.encode(caller.claims(), "", algorithm="none", headers={"kid": caller.trusted_kid()})


FLAWS: dict[str, Callable[[Caller], str | None]] = {
    "missing": lambda caller: None,
    "expired": expired,
    "wrong-audience": wrong_audience,
    "wrong-key": wrong_key,
    "alg-none": unsigned,
}


# One mutating endpoint per service, called as its rightful party: (service, path, body, party).
ENDPOINTS: dict[str, tuple[str, dict[str, Any], str]] = {
    "catalog": ("/v1/products/{product_id}", {"moq": 1_000_000}, "supplier"),
    "escrow": ("/v1/orders/{order_id}/cancel", {"reason": "Changed my mind."}, "buyer"),
    "logistics": (
        "/v1/shipments/{shipment_id}/dispatch",
        {"carrier": "ups", "tracking_number": "1Z9"},
        "supplier",
    ),
    "disputes": (
        "/v1/disputes/{claim_id}/offers",
        {"outcome": "partial_refund", "refund": money(1)},
        "supplier",
    ),
}
METHODS = {"catalog": "PATCH"}


@pytest.fixture(scope="module")
def attacker_keys(tmp_path_factory: pytest.TempPathFactory) -> DevKeys:
    return ensure_dev_keys(Path(tmp_path_factory.mktemp("attacker-keys")))


@pytest.mark.parametrize("flaw", FLAWS)
@pytest.mark.parametrize("service", ENDPOINTS)
async def test_untrusted_tokens_are_refused_with_401_and_change_nothing(
    trade: Trade, attacker_keys: DevKeys, service: str, flaw: str
) -> None:
    # Given a trade and a token for its rightful party with one flaw
    path, body, party = ENDPOINTS[service]
    sub = trade.seller.supplier_id if party == "supplier" else trade.completed.buyer_id
    caller = Caller(trade.client.keys, attacker_keys, sub, party)
    before = await trade.state()

    # When the party's call carries that token
    answer = await send(
        trade.client,
        service,
        METHODS.get(service, "POST"),
        trade.fill(path),
        token=FLAWS[flaw](caller),
        json=body,
    )

    # Then the service refuses it as unauthenticated and nothing changes
    assert answer.is_problem(401), answer
    assert answer.problem_type.endswith("/unauthorized"), answer
    assert await trade.state() == before
