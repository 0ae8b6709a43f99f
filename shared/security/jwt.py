"""Verify the gateway's JWTs: keys found by `kid` in a key set, required `aud`/`iss`/`exp`, known roles."""

from __future__ import annotations

import binascii
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import jwt
from jwt.utils import base64url_decode

from shared.security.key_set import JwksFile, KeySet
from shared.security.roles import PERSON_ROLES, SERVICE_ROLE_PREFIX, Role

BUYER_TIERS = frozenset({"standard", "enterprise", "enterprise_pro"})


@dataclass(frozen=True)
class Principal:
    """Who is calling: `sub` is the buyer's, supplier's, operator's or service's id."""

    sub: str
    role: str
    tier: str | None = None


class TokenRejected(Exception):
    """The token cannot be trusted; the message says why (safe to show: it names no secret)."""

    code: ClassVar[str] = "unauthorized"


# Tokens a verifier remembers at most (a few MB): beyond, the oldest is forgotten and verified afresh.
MAX_REMEMBERED_TOKENS = 10_000


@dataclass(frozen=True)
class _Verified:
    """A token verified before: whom it names, by which key, until when (its `exp` plus the leeway)."""

    principal: Principal
    kid: str
    key: jwt.PyJWK
    valid_until: float


class TokenVerifier:
    """Checks signature, algorithm, key id, audience, issuer and expiry, then reads the principal.

    A caller sends the same token with every request until it expires; its principal is remembered, so
    it is verified once (an Ed25519 check and PyJWT's decoding, about 4 % of escrow's CPU in the lifecycle
    bench). A remembered token is still refused once it expires, and once its key is no longer the one the
    key set holds for its `kid` (retired or replaced): then it is verified afresh, and refused.
    """

    def __init__(
        self,
        keys: KeySet | Mapping[str, jwt.PyJWK],
        *,
        audience: str,
        issuer: str,
        leeway: timedelta = timedelta(seconds=30),
        now: Callable[[], float] = time.time,
    ) -> None:
        self._keys = keys if isinstance(keys, KeySet) else KeySet(keys)
        self._audience = audience
        self._issuer = issuer
        self._leeway = leeway
        # PyJWT checks `exp` against the system's time; so does a remembered token (injectable for tests).
        self._now = now
        self._remembered: dict[str, _Verified] = {}

    @classmethod
    def from_jwks(cls, jwks: Mapping[str, Any], *, audience: str, issuer: str) -> TokenVerifier:
        """From a JWKS document (`{"keys": [{"kid": ..., "kty": ...}, ...]}`); every key needs a `kid`."""
        return cls(KeySet.of_jwks(jwks), audience=audience, issuer=issuer)

    @classmethod
    def from_file(
        cls, path: Path, *, audience: str, issuer: str, now: Callable[[], float] = time.time
    ) -> TokenVerifier:
        """From a JWKS file, followed as it changes: keys rotate without a restart."""
        return cls(JwksFile(path), audience=audience, issuer=issuer, now=now)

    def verify(self, token: str) -> Principal:
        known = self._remembered.get(token)
        if known is not None:
            if self._keys.find(known.kid) is known.key:
                if self._now() > known.valid_until:
                    del self._remembered[token]
                    raise TokenRejected("token expired")
                return known.principal
            del self._remembered[token]  # its key changed: verified afresh against the key set of now
        claims, kid, key = self._decode(token, require=("exp", "aud", "iss", "sub"))
        principal = _principal(claims)
        if len(self._remembered) >= MAX_REMEMBERED_TOKENS:
            del self._remembered[next(iter(self._remembered))]
        valid_until = float(claims["exp"]) + self._leeway.total_seconds()
        self._remembered[token] = _Verified(principal, kid, key, valid_until)
        return principal

    def verify_claims(
        self, token: str, *, require: tuple[str, ...] = ("exp", "aud", "iss")
    ) -> dict[str, Any]:
        """The claims of any document signed by a trusted key (a token, a quote), after every check."""
        return self._decode(token, require=require)[0]

    def _decode(self, token: str, *, require: tuple[str, ...]) -> tuple[dict[str, Any], str, jwt.PyJWK]:
        """The verified claims, and the key id and key that signed them."""
        header = _unverified_header(token)
        kid = str(header.get("kid"))
        key = self._keys.find(kid)
        if key is None:
            raise TokenRejected("unknown signing key")
        # The key decides the algorithm, never the token: this blocks alg=none and algorithm confusion.
        if header.get("alg") != key.algorithm_name:
            raise TokenRejected("algorithm does not match the signing key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key.key,
                algorithms=[key.algorithm_name],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": list(require)},
            )
        except jwt.ExpiredSignatureError as error:
            raise TokenRejected("token expired") from error
        except jwt.InvalidTokenError as error:
            raise TokenRejected(f"token rejected: {error}") from error
        return claims, kid, key


def _unverified_header(token: str) -> dict[str, Any]:
    """The header alone, to pick the key. Not `jwt.get_unverified_header`: it decodes and checks every
    segment of the token, which `jwt.decode` then does again (the top entry of a service's CPU profile)."""
    try:
        header = json.loads(base64url_decode(token.split(".", 1)[0]))
    except (ValueError, binascii.Error) as error:
        raise TokenRejected("malformed token") from error
    if not isinstance(header, dict):
        raise TokenRejected("malformed token")
    return header


def _principal(claims: Mapping[str, Any]) -> Principal:
    sub, role, tier = claims.get("sub"), claims.get("role"), claims.get("tier")
    if not isinstance(sub, str) or not sub:
        raise TokenRejected("token has no subject")
    if not isinstance(role, str) or not is_known_role(role):
        raise TokenRejected("token has no known role")
    if role != Role.BUYER:
        return Principal(sub=sub, role=role)
    # Escrow snapshots the tier into each order, so a buyer token without a valid tier is unusable.
    if tier not in BUYER_TIERS:
        raise TokenRejected("buyer token has no known tier")
    return Principal(sub=sub, role=role, tier=str(tier))


def is_known_role(role: str) -> bool:
    return role in PERSON_ROLES or (
        role.startswith(SERVICE_ROLE_PREFIX) and len(role) > len(SERVICE_ROLE_PREFIX)
    )
